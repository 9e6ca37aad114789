//! The simulator's in-memory data: records kept as compact JSON text (cheap to hold by the tens of
//! thousands and to concatenate into a response), parsed only when a filter, sort or write needs
//! their fields.

use serde_json::Value;

use super::resources::Resource;

/// One record, serialized, with the fields lookups need kept beside it.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub id: String,
    /// `accountNumber`, `orderNumber`, … when the resource has one.
    pub number: Option<String>,
    /// The account the record belongs to, for `/Accounts/{id}/…` lists.
    pub account_id: Option<String>,
    /// Compact JSON, sized exactly (records are held by the tens of thousands).
    pub json: Box<str>,
}

impl Record {
    /// Builds a record from a JSON object, reading `id`, the number field and `account.id`.
    pub(crate) fn from_value(resource: Resource, value: &Value) -> Record {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        Record {
            id: text(value.get("id")).unwrap_or_default(),
            number: resource
                .number_field()
                .and_then(|(field, _)| text(value.get(field))),
            account_id: text(value.get("account").and_then(|a| a.get("id"))),
            json: value.to_string().into_boxed_str(),
        }
    }

    /// Matches a path id: the GUID (any case) or the record's number.
    pub(crate) fn is(&self, id: &str) -> bool {
        self.id.eq_ignore_ascii_case(id)
            || self
                .number
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(id))
    }

    pub(crate) fn value(&self) -> Value {
        serde_json::from_str(&self.json).unwrap_or(Value::Null)
    }
}

/// The records of one collection, in creation order.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub records: Vec<Record>,
    /// The next free number for the resource's number field.
    pub next_number: u64,
}

impl Table {
    pub(crate) fn new(records: Vec<Record>) -> Table {
        let next_number = records.len() as u64 + 1;
        Table {
            records,
            next_number,
        }
    }

    pub(crate) fn find(&self, id: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.is(id))
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.records.iter().position(|r| r.is(id))
    }

    pub(crate) fn take_number(&mut self) -> u64 {
        let number = self.next_number;
        self.next_number += 1;
        number
    }
}

/// Data of one legal entity: one table per collection in [`Resource::PER_ENTITY`].
#[derive(Debug)]
pub(crate) struct EntityData {
    tables: Vec<Table>,
}

impl EntityData {
    pub(crate) fn new(tables: Vec<Table>) -> EntityData {
        EntityData { tables }
    }
}

/// Everything: the tenant's users and each legal entity's collections.
#[derive(Debug)]
pub(crate) struct Store {
    users: Table,
    entities: Vec<EntityData>,
}

impl Store {
    pub(crate) fn new(users: Table, entities: Vec<EntityData>) -> Store {
        Store { users, entities }
    }

    /// A collection: users are the tenant's, everything else belongs to the legal entity.
    pub(crate) fn table(&self, entity: usize, resource: Resource) -> Option<&Table> {
        if resource == Resource::Users {
            return Some(&self.users);
        }
        self.entities.get(entity)?.tables.get(resource.index())
    }

    pub(crate) fn table_mut(&mut self, entity: usize, resource: Resource) -> Option<&mut Table> {
        if resource == Resource::Users {
            return Some(&mut self.users);
        }
        self.entities
            .get_mut(entity)?
            .tables
            .get_mut(resource.index())
    }

    pub(crate) fn users(&self) -> &Table {
        &self.users
    }
}
