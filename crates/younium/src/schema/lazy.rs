//! The component schemas of a catalogue, parsed when first asked for.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::SchemaMap;

/// The component schemas, parsed when first asked for. The built-in catalogue's are most of its
/// asset (1.3 MB of memory parsed) and nothing on the first screen reads them: they wait for the
/// first body, skeleton or schema check.
#[derive(Default)]
pub(crate) struct LazySchemas {
    map: OnceLock<SchemaMap>,
    /// Where the map comes from when it is not given (the built-in asset).
    load: Option<fn() -> SchemaMap>,
}

impl LazySchemas {
    /// Schemas at hand.
    pub(crate) fn given(map: SchemaMap) -> LazySchemas {
        LazySchemas {
            map: OnceLock::from(map),
            load: None,
        }
    }

    /// Schemas `load` gives on the first [`LazySchemas::get`].
    pub(crate) fn deferred(load: fn() -> SchemaMap) -> LazySchemas {
        LazySchemas {
            map: OnceLock::new(),
            load: Some(load),
        }
    }

    /// The schemas, loaded on the first call.
    pub(crate) fn get(&self) -> &SchemaMap {
        self.map
            .get_or_init(|| self.load.map(|load| load()).unwrap_or_default())
    }

    /// Whether they have been loaded (or were given).
    #[cfg(test)]
    pub(crate) fn is_parsed(&self) -> bool {
        self.map.get().is_some()
    }
}

impl Clone for LazySchemas {
    fn clone(&self) -> Self {
        LazySchemas::given(self.get().clone())
    }
}

impl PartialEq for LazySchemas {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for LazySchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for LazySchemas {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LazySchemas {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SchemaMap::deserialize(deserializer).map(LazySchemas::given)
    }
}
