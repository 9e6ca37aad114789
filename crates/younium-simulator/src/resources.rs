//! The resource collections the simulator serves and their rules: path, permissions, which writes
//! exist and what an empty list says. What a write body needs comes from the catalogue's
//! request schemas (see `writes::schema_errors`).

use super::tenant::Permission;

/// A top-level collection such as `/Accounts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resource {
    Accounts,
    Subscriptions,
    Invoices,
    Products,
    Payments,
    Bookings,
    Webhooks,
    Currency,
    Countries,
    PaymentTerms,
    Users,
}

impl Resource {
    /// Collections kept per legal entity (users are tenant-wide).
    pub(crate) const PER_ENTITY: [Resource; 10] = [
        Resource::Accounts,
        Resource::Subscriptions,
        Resource::Invoices,
        Resource::Products,
        Resource::Payments,
        Resource::Bookings,
        Resource::Webhooks,
        Resource::Currency,
        Resource::Countries,
        Resource::PaymentTerms,
    ];

    /// Matches a path segment case-insensitively, as ASP.NET routing does.
    pub(crate) fn from_segment(segment: &str) -> Option<Resource> {
        Resource::PER_ENTITY
            .into_iter()
            .chain([Resource::Users])
            .find(|r| r.segment().eq_ignore_ascii_case(segment))
    }

    pub(crate) fn segment(self) -> &'static str {
        match self {
            Resource::Accounts => "Accounts",
            Resource::Subscriptions => "Subscriptions",
            Resource::Invoices => "Invoices",
            Resource::Products => "Products",
            Resource::Payments => "Payments",
            Resource::Bookings => "Bookings",
            Resource::Webhooks => "Webhooks",
            Resource::Currency => "Currency",
            Resource::Countries => "Countries",
            Resource::PaymentTerms => "PaymentTerms",
            Resource::Users => "Users",
        }
    }

    /// Position in [`Resource::PER_ENTITY`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The 2.1 message for an empty list or a page past the end. The subscriptions text is the
    /// one seen in real responses; the others follow the observed `No <plural> could be found`.
    pub(crate) fn nothing_found(self) -> &'static str {
        match self {
            Resource::Accounts => "No accounts could be found",
            Resource::Subscriptions => "No subscriptions of latest version could be found",
            Resource::Invoices => "No invoices could be found",
            Resource::Products => "No products could be found",
            Resource::Payments => "No payments could be found",
            Resource::Bookings => "No bookings could be found",
            Resource::Webhooks => "No webhooks could be found",
            Resource::Currency => "No currencies could be found",
            Resource::Countries => "No countries could be found",
            Resource::PaymentTerms => "No payment terms could be found",
            Resource::Users => "No users could be found",
        }
    }

    /// Needed to list the collection.
    pub(crate) fn view_permission(self) -> Permission {
        match self {
            Resource::Accounts => Permission::AccountView,
            Resource::Subscriptions => Permission::OrderView,
            Resource::Invoices => Permission::InvoiceView,
            Resource::Products => Permission::ProductView,
            Resource::Payments => Permission::PaymentView,
            Resource::Bookings => Permission::BookingView,
            Resource::Webhooks => Permission::WebhookView,
            Resource::Currency | Resource::Countries | Resource::PaymentTerms => {
                Permission::SettingsView
            }
            Resource::Users => Permission::UserView,
        }
    }

    /// Needed to read one record; the spec names *Invoice Read* for `GET /Invoices/{id}`.
    pub(crate) fn read_permission(self) -> Permission {
        match self {
            Resource::Invoices => Permission::InvoiceRead,
            other => other.view_permission(),
        }
    }

    /// Needed to create, change or delete.
    pub(crate) fn edit_permission(self) -> Permission {
        match self {
            Resource::Accounts => Permission::AccountEdit,
            Resource::Subscriptions => Permission::OrderEdit,
            Resource::Invoices => Permission::InvoiceEdit,
            Resource::Products => Permission::ProductEdit,
            Resource::Payments => Permission::PaymentEdit,
            Resource::Bookings => Permission::BookingEdit,
            Resource::Webhooks => Permission::WebhookEdit,
            Resource::Currency | Resource::Countries | Resource::PaymentTerms => {
                Permission::SettingsEdit
            }
            Resource::Users => Permission::UserView,
        }
    }

    /// `POST /{resource}` exists (per the spec's operation list).
    pub(crate) fn can_create(self) -> bool {
        matches!(
            self,
            Resource::Accounts
                | Resource::Subscriptions
                | Resource::Products
                | Resource::Payments
                | Resource::Webhooks
                | Resource::Currency
                | Resource::PaymentTerms
        )
    }

    /// `PATCH /{resource}/{id}` exists.
    pub(crate) fn can_patch(self) -> bool {
        matches!(
            self,
            Resource::Accounts
                | Resource::Subscriptions
                | Resource::Invoices
                | Resource::Products
                | Resource::Payments
                | Resource::Bookings
        )
    }

    /// `DELETE /{resource}/{id}` exists.
    pub(crate) fn can_delete(self) -> bool {
        matches!(
            self,
            Resource::Accounts
                | Resource::Subscriptions
                | Resource::Products
                | Resource::Webhooks
                | Resource::Currency
        )
    }

    /// Webhooks answer lists as a bare array even in 2.1.
    pub(crate) fn always_bare(self) -> bool {
        self == Resource::Webhooks
    }

    /// Webhooks answer 400 instead of 404 for an unknown id (changelog 2022-12-17).
    pub(crate) fn unknown_id_is_bad_request(self) -> bool {
        self == Resource::Webhooks
    }

    /// The request model named in body errors, as ASP.NET names the C# type.
    pub(crate) fn create_model(self) -> &'static str {
        match self {
            Resource::Accounts => "CreateAccountRequest",
            Resource::Subscriptions => "CreateSubscriptionRequest",
            Resource::Products => "CreateProductRequest",
            Resource::Payments => "CreatePaymentRequest",
            Resource::Webhooks => "CreateWebhookRequest",
            Resource::Currency => "CreateCurrencyRequest",
            Resource::PaymentTerms => "CreatePaymentTermRequest",
            Resource::Invoices => "PatchInvoiceRequest",
            Resource::Bookings => "PatchBookingRequest",
            Resource::Countries => "CountryRequest",
            Resource::Users => "UserRequest",
        }
    }

    /// The human-readable number field and its prefix, e.g. `accountNumber` `A-000042`.
    pub(crate) fn number_field(self) -> Option<(&'static str, &'static str)> {
        match self {
            Resource::Accounts => Some(("accountNumber", "A-")),
            Resource::Subscriptions => Some(("orderNumber", "O-")),
            Resource::Invoices => Some(("invoiceNumber", "I-")),
            Resource::Products => Some(("productNumber", "P-")),
            _ => None,
        }
    }
}
