//! The structural comparison of two JSON values.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Change, ChangeKind, JsonDiff, JsonPath, Step};

/// A path step borrowed from the values while walking: turned into an owned [`Step`] only for
/// a path that has a difference.
#[derive(Clone, Copy)]
enum At<'a> {
    Key(&'a str),
    Index(usize),
}

struct Walk<'a> {
    path: Vec<At<'a>>,
    out: JsonDiff,
}

pub(super) fn compare(old: &Value, new: &Value) -> JsonDiff {
    let mut walk = Walk {
        path: Vec::new(),
        out: JsonDiff::default(),
    };
    walk.value(old, new);
    walk.out
}

impl<'a> Walk<'a> {
    fn value(&mut self, old: &'a Value, new: &'a Value) {
        match (old, new) {
            (Value::Object(o), Value::Object(n)) => self.object(o, n),
            (Value::Array(o), Value::Array(n)) => match by_id(o, n) {
                Some(matching) => self.array_by_id(o, n, &matching),
                None => self.array_by_index(o, n),
            },
            _ if old == new => {}
            _ => {
                let kind = ChangeKind::Changed {
                    old: compact(old),
                    new: compact(new),
                };
                self.push(kind);
            }
        }
    }

    /// Members in the new body's order, each removed member where it stood in the old one.
    fn object(&mut self, old: &'a Map<String, Value>, new: &'a Map<String, Value>) {
        let mut old_keys = old.iter().peekable();
        for (key, n) in new {
            // The old members before this one that the new object lacks.
            if old.contains_key(key) {
                while let Some((k, o)) = old_keys.next_if(|(k, _)| *k != key) {
                    if !new.contains_key(k) {
                        self.leaf(At::Key(k), ChangeKind::Removed(compact(o)));
                    }
                }
                old_keys.next_if(|(k, _)| *k == key);
            }
            match old.get(key) {
                Some(o) => {
                    self.path.push(At::Key(key));
                    self.value(o, n);
                    self.path.pop();
                }
                None => self.leaf(At::Key(key), ChangeKind::Added(compact(n))),
            }
        }
        for (k, o) in old_keys {
            if !new.contains_key(k) {
                self.leaf(At::Key(k), ChangeKind::Removed(compact(o)));
            }
        }
    }

    fn array_by_index(&mut self, old: &'a [Value], new: &'a [Value]) {
        for (i, (o, n)) in old.iter().zip(new).enumerate() {
            self.path.push(At::Index(i));
            self.value(o, n);
            self.path.pop();
        }
        for (i, o) in old.iter().enumerate().skip(new.len()) {
            self.leaf(At::Index(i), ChangeKind::Removed(compact(o)));
        }
        for (i, n) in new.iter().enumerate().skip(old.len()) {
            self.leaf(At::Index(i), ChangeKind::Added(compact(n)));
        }
    }

    /// Records matched by id (`matching[j]`: the old index of new item `j`); an item with an
    /// id the other side lacks is one addition or removal.
    fn array_by_id(&mut self, old: &'a [Value], new: &'a [Value], matching: &[Option<usize>]) {
        let mut kept = vec![false; old.len()];
        for &i in matching.iter().flatten() {
            kept[i] = true;
        }
        let mut next_old = 0;
        for (j, n) in new.iter().enumerate() {
            match matching[j] {
                Some(i) => {
                    while next_old <= i {
                        if !kept[next_old] {
                            let removed = ChangeKind::Removed(compact(&old[next_old]));
                            self.leaf(At::Index(next_old), removed);
                        }
                        next_old += 1;
                    }
                    self.path.push(At::Index(j));
                    self.value(&old[i], n);
                    self.path.pop();
                }
                None => self.leaf(At::Index(j), ChangeKind::Added(compact(n))),
            }
        }
        for (i, o) in old.iter().enumerate().skip(next_old) {
            if !kept[i] {
                self.leaf(At::Index(i), ChangeKind::Removed(compact(o)));
            }
        }
    }

    fn leaf(&mut self, at: At<'a>, kind: ChangeKind) {
        self.path.push(at);
        self.push(kind);
        self.path.pop();
    }

    fn push(&mut self, kind: ChangeKind) {
        match kind {
            ChangeKind::Added(_) => self.out.added += 1,
            ChangeKind::Removed(_) => self.out.removed += 1,
            ChangeKind::Changed { .. } => self.out.changed += 1,
        }
        let path = JsonPath(
            self.path
                .iter()
                .map(|at| match *at {
                    At::Key(k) => Step::Key(k.to_owned()),
                    At::Index(i) => Step::Index(i),
                })
                .collect(),
        );
        self.out.changes.push(Change { path, kind });
    }
}

/// Compact JSON text of a value (serde_json cannot fail on a `Value`).
fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The id of a record: its `id`, else its `Id`, as compact JSON (so `1` and `"1"` differ).
fn id_of(value: &Value) -> Option<String> {
    let record = value.as_object()?;
    record.get("id").or_else(|| record.get("Id")).map(compact)
}

/// For arrays of records that all have an id, unique on each side: for each new item, the
/// index of the old item with its id. `None` (compare by index) otherwise, when both sides
/// hold the same ids in the same order (by index is then the same, and cheaper), when no
/// id is on both sides, and when the records both sides hold are in another order.
fn by_id(old: &[Value], new: &[Value]) -> Option<Vec<Option<usize>>> {
    if old.is_empty() || new.is_empty() {
        return None;
    }
    let ids = |items: &[Value]| -> Option<Vec<String>> { items.iter().map(id_of).collect() };
    let old_ids = ids(old)?;
    let new_ids = ids(new)?;
    if old_ids == new_ids {
        return None;
    }
    let mut index = HashMap::with_capacity(old_ids.len());
    for (i, id) in old_ids.iter().enumerate() {
        if index.insert(id.as_str(), i).is_some() {
            return None;
        }
    }
    let mut seen = HashMap::with_capacity(new_ids.len());
    for id in &new_ids {
        if seen.insert(id.as_str(), ()).is_some() {
            return None;
        }
    }
    let matching: Vec<Option<usize>> = new_ids
        .iter()
        .map(|id| index.get(id.as_str()).copied())
        .collect();
    // No record in common (the same list in two legal entities): by index, so the values
    // that differ are listed rather than every record as added and removed. Records in
    // another order: by index too, so the new order shows (matched by id it would not).
    matching.iter().flatten().next()?;
    let in_order = matching
        .iter()
        .flatten()
        .zip(matching.iter().flatten().skip(1))
        .all(|(a, b)| a < b);
    in_order.then_some(matching)
}
