//! The demo tenant's people and what they may do: users, their roles per legal entity, and the
//! permissions each role grants.
//!
//! Permission names the spec itself uses ("Requires permission *X*"): *Account View*,
//! *Invoice View*, *Invoice Read*, *Order View*, *User View*. The others are plausible inventions in
//! the same style.

use serde_json::{Value, json};

use super::demo::{self, LEGAL_ENTITIES};

/// Something a role may allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Permission {
    AccountView,
    AccountEdit,
    OrderView,
    OrderEdit,
    InvoiceView,
    InvoiceRead,
    InvoiceEdit,
    ProductView,
    ProductEdit,
    PaymentView,
    PaymentEdit,
    BookingView,
    BookingEdit,
    SettingsView,
    SettingsEdit,
    WebhookView,
    WebhookEdit,
    UserView,
    ReportView,
}

impl Permission {
    const ALL: [Permission; 19] = [
        Permission::AccountView,
        Permission::AccountEdit,
        Permission::OrderView,
        Permission::OrderEdit,
        Permission::InvoiceView,
        Permission::InvoiceRead,
        Permission::InvoiceEdit,
        Permission::ProductView,
        Permission::ProductEdit,
        Permission::PaymentView,
        Permission::PaymentEdit,
        Permission::BookingView,
        Permission::BookingEdit,
        Permission::SettingsView,
        Permission::SettingsEdit,
        Permission::WebhookView,
        Permission::WebhookEdit,
        Permission::UserView,
        Permission::ReportView,
    ];

    /// The permission the spec names (`Invoice View`), if the tenant knows it.
    pub(crate) fn from_name(name: &str) -> Option<Permission> {
        Permission::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name.trim()))
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Permission::AccountView => "Account View",
            Permission::AccountEdit => "Account Edit",
            Permission::OrderView => "Order View",
            Permission::OrderEdit => "Order Edit",
            Permission::InvoiceView => "Invoice View",
            Permission::InvoiceRead => "Invoice Read",
            Permission::InvoiceEdit => "Invoice Edit",
            Permission::ProductView => "Product View",
            Permission::ProductEdit => "Product Edit",
            Permission::PaymentView => "Payment View",
            Permission::PaymentEdit => "Payment Edit",
            Permission::BookingView => "Booking View",
            Permission::BookingEdit => "Booking Edit",
            Permission::SettingsView => "Settings View",
            Permission::SettingsEdit => "Settings Edit",
            Permission::WebhookView => "Webhook View",
            Permission::WebhookEdit => "Webhook Edit",
            Permission::UserView => "User View",
            Permission::ReportView => "Report View",
        }
    }

    fn group(self) -> &'static str {
        match self {
            Permission::AccountView | Permission::AccountEdit => "Accounts",
            Permission::OrderView | Permission::OrderEdit => "Orders",
            Permission::InvoiceView | Permission::InvoiceRead | Permission::InvoiceEdit => {
                "Invoices"
            }
            Permission::ProductView | Permission::ProductEdit => "Products",
            Permission::PaymentView | Permission::PaymentEdit => "Payments",
            Permission::BookingView | Permission::BookingEdit => "Bookings",
            Permission::SettingsView | Permission::SettingsEdit => "Settings",
            Permission::WebhookView | Permission::WebhookEdit => "Webhooks",
            Permission::UserView => "Users",
            Permission::ReportView => "Reports",
        }
    }

    fn is_view(self) -> bool {
        !matches!(
            self,
            Permission::AccountEdit
                | Permission::OrderEdit
                | Permission::InvoiceEdit
                | Permission::ProductEdit
                | Permission::PaymentEdit
                | Permission::BookingEdit
                | Permission::SettingsEdit
                | Permission::WebhookEdit
        )
    }

    fn is_invoice(self) -> bool {
        matches!(
            self,
            Permission::InvoiceView | Permission::InvoiceRead | Permission::InvoiceEdit
        )
    }
}

/// A role, defined once per legal entity (each copy has its own id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    SystemAdministrator,
    Sales,
    Finance,
    Support,
}

/// Role ids per legal entity, in the order of [`Role::ALL`].
const ROLE_IDS: [[&str; 4]; 2] = [
    [
        "b4324644-4d52-408d-abf4-7ec2ca916735",
        "ab495e2a-a1b2-4404-91b1-e1882cb2e397",
        "fe731b45-bd55-461f-8100-f358c8a9a43f",
        "632c9045-9b3a-442c-8182-23747fe3fc77",
    ],
    [
        "1ce522ca-972d-49e6-b8fc-efb5860a1e72",
        "935db454-8d9e-4478-8803-c3f29bfd75f9",
        "b19f397b-3d0f-47f1-aaff-aa2087803ba3",
        "a2c762b5-249f-4a67-8580-42e7a05f849a",
    ],
];

impl Role {
    const ALL: [Role; 4] = [
        Role::SystemAdministrator,
        Role::Sales,
        Role::Finance,
        Role::Support,
    ];

    fn name(self) -> &'static str {
        match self {
            Role::SystemAdministrator => "System Administrator",
            Role::Sales => "Sales",
            Role::Finance => "Finance",
            Role::Support => "Support",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Role::SystemAdministrator => "Full access to every part of the legal entity",
            Role::Sales => "Customers, orders and products; no access to invoices",
            Role::Finance => "Invoicing, payments and bookings",
            Role::Support => "Read-only access for customer support; no invoices or users",
        }
    }

    fn id(self, entity: usize) -> &'static str {
        ROLE_IDS[entity % ROLE_IDS.len()][self as usize]
    }

    pub(crate) fn allows(self, permission: Permission) -> bool {
        match self {
            Role::SystemAdministrator => true,
            Role::Sales => !permission.is_invoice(),
            Role::Finance => permission != Permission::UserView,
            Role::Support => {
                permission.is_view()
                    && !permission.is_invoice()
                    && permission != Permission::UserView
            }
        }
    }

    fn to_json_with_permissions(self, entity: usize) -> Value {
        let permissions: Vec<Value> = Permission::ALL
            .iter()
            .filter(|p| self.allows(**p))
            .map(|p| json!({"name": p.name(), "description": format!("{} in {}", p.name(), LEGAL_ENTITIES[entity].name), "group": p.group()}))
            .collect();
        json!({
            "permissions": permissions,
            "id": self.id(entity),
            "name": self.name(),
            "description": self.description(),
        })
    }
}

/// How a user signs in to the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Login {
    ApiToken {
        client_id: &'static str,
        secret: &'static str,
    },
    Password {
        username: &'static str,
        password: &'static str,
    },
    WebOnly,
}

/// A user of the tenant with a role (or none) in each legal entity.
#[derive(Debug)]
pub(crate) struct User {
    pub id: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    title: Option<&'static str>,
    pub email: &'static str,
    culture: &'static str,
    active: bool,
    pub login: Login,
    roles: [Option<Role>; 2],
}

pub(crate) const USERS: [User; 7] = [
    User {
        id: "0c3ec00c-e466-4e48-b2cb-d782c9d8bc6e",
        first_name: "Api",
        last_name: "Demo",
        title: Some("Integration user"),
        email: "api.demo@nordlys.example",
        culture: "sv-SE",
        active: true,
        login: Login::ApiToken {
            client_id: demo::CLIENT_ID,
            secret: demo::SECRET,
        },
        roles: [Some(Role::SystemAdministrator), Some(Role::Sales)],
    },
    User {
        id: "b7ac3f73-2e3e-4f66-b91c-49db2d7d2165",
        first_name: "Api",
        last_name: "Support",
        title: Some("Support integration"),
        email: "api.support@nordlys.example",
        culture: "en-US",
        active: true,
        login: Login::ApiToken {
            client_id: demo::LIMITED_CLIENT_ID,
            secret: demo::LIMITED_SECRET,
        },
        roles: [Some(Role::Support), Some(Role::Support)],
    },
    User {
        id: "ea681f11-d0e0-43dc-9c00-bf381cf251f0",
        first_name: "Legacy",
        last_name: "Integration",
        title: None,
        email: demo::LEGACY_USERNAME,
        culture: "sv-SE",
        active: true,
        login: Login::Password {
            username: demo::LEGACY_USERNAME,
            password: demo::LEGACY_PASSWORD,
        },
        roles: [
            Some(Role::SystemAdministrator),
            Some(Role::SystemAdministrator),
        ],
    },
    User {
        id: "6c5ba798-57a5-4e25-9dd0-d86f250115bb",
        first_name: "Astrid",
        last_name: "Lindqvist",
        title: Some("CFO"),
        email: "astrid.lindqvist@nordlys.example",
        culture: "sv-SE",
        active: true,
        login: Login::WebOnly,
        roles: [
            Some(Role::SystemAdministrator),
            Some(Role::SystemAdministrator),
        ],
    },
    User {
        id: "7b2a4e7f-2e00-47d8-9ad1-43c083d983b7",
        first_name: "Johan",
        last_name: "Berg",
        title: Some("Account Executive"),
        email: "johan.berg@nordlys.example",
        culture: "sv-SE",
        active: true,
        login: Login::WebOnly,
        roles: [Some(Role::Sales), None],
    },
    User {
        id: "a1139201-5ad8-48b3-82fb-2c0b7d9ac77e",
        first_name: "Emily",
        last_name: "Carter",
        title: Some("Billing Specialist"),
        email: "emily.carter@nordlys.example",
        culture: "en-US",
        active: true,
        login: Login::WebOnly,
        roles: [None, Some(Role::Finance)],
    },
    User {
        id: "43259150-0aa6-43cb-88cf-e3806ef61b34",
        first_name: "Mikael",
        last_name: "Nyström",
        title: Some("Controller"),
        email: "mikael.nystrom@nordlys.example",
        culture: "sv-SE",
        active: false,
        login: Login::WebOnly,
        roles: [Some(Role::Finance), Some(Role::Support)],
    },
];

impl User {
    pub(crate) fn by_id(id: &str) -> Option<&'static User> {
        USERS.iter().find(|u| u.id.eq_ignore_ascii_case(id))
    }

    pub(crate) fn by_client(client_id: &str) -> Option<&'static User> {
        USERS.iter().find(|u| match u.login {
            Login::ApiToken { client_id: id, .. } => id.eq_ignore_ascii_case(client_id),
            _ => false,
        })
    }

    pub(crate) fn by_username(username: &str) -> Option<&'static User> {
        USERS.iter().find(|u| match u.login {
            Login::Password { username: name, .. } => name.eq_ignore_ascii_case(username),
            _ => false,
        })
    }

    pub(crate) fn role_in(&self, entity: usize) -> Option<Role> {
        self.roles.get(entity).copied().flatten()
    }

    /// May this user do `permission` in `entity`, or (with no entity) in any legal entity?
    pub(crate) fn may(&self, entity: Option<usize>, permission: Permission) -> bool {
        match entity {
            Some(entity) => self.role_in(entity).is_some_and(|r| r.allows(permission)),
            None => self.roles.iter().flatten().any(|r| r.allows(permission)),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let roles: Vec<Value> = (0..LEGAL_ENTITIES.len())
            .filter_map(|entity| {
                let role = self.role_in(entity)?;
                Some(json!({
                    "legalEntityId": LEGAL_ENTITIES[entity].id,
                    "legalEntityName": LEGAL_ENTITIES[entity].name,
                    "id": role.id(entity),
                    "name": role.name(),
                    "description": role.description(),
                }))
            })
            .collect();
        json!({
            "roles": roles,
            "id": self.id,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "title": self.title,
            "culture": self.culture,
            "email": self.email,
            "userName": self.email,
            "active": self.active,
            "isLegacyApiUser": matches!(self.login, Login::Password { .. }),
        })
    }
}

/// Roles with their permissions, as `GET /Users/roles` lists them: those of one legal entity, or
/// of all of them.
pub(crate) fn roles_json(entity: Option<usize>) -> Vec<Value> {
    (0..LEGAL_ENTITIES.len())
        .filter(|e| entity.is_none_or(|wanted| wanted == *e))
        .flat_map(|e| {
            Role::ALL
                .iter()
                .map(move |role| role.to_json_with_permissions(e))
        })
        .collect()
}
