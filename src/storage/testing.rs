//! Helpers for the storage tests.

pub(crate) use super::{RowRef, Store, DIRECT_LIMIT};
pub(crate) use crate::error::Result;
pub(crate) use crate::fields::IndexField;
pub(crate) use crate::model::Meeting;
pub(crate) use crate::plan::{DateWindow, ValueSel};

pub(crate) fn rec(id: &str, date: &str, orgs: &[&str]) -> Meeting {
    let mut m: Meeting = serde_json::from_str(&format!(r#"{{"id":"{id}","date":"{date}"}}"#)).unwrap();
    m.orgs = orgs.iter().map(|s| s.to_string()).collect();
    m
}

pub(crate) fn ids(it: Box<dyn Iterator<Item = Result<RowRef>> + '_>) -> Vec<String> {
    it.map(|r| r.unwrap().id).collect()
}

/// An empty database in memory.
pub(crate) fn in_memory() -> Store<super::memory::Memory> {
    Store::on(super::memory::Memory::default(), std::path::Path::new("<memory>")).unwrap()
}

use super::Engine as _;

impl<E: super::Engine> Store<E> {
    /// Sets one key, as a test that damages a database does.
    pub(crate) fn put(&self, key: impl AsRef<[u8]>, value: impl Into<Vec<u8>>) -> Result<()> {
        let mut b = super::Batch::default();
        b.insert(key, value);
        Ok(self.db.apply(b)?)
    }

    /// Removes one key, as a test that damages a database does.
    pub(crate) fn delete(&self, key: impl AsRef<[u8]>) -> Result<()> {
        let mut b = super::Batch::default();
        b.remove(key);
        Ok(self.db.apply(b)?)
    }
}
