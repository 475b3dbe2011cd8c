//! Helpers for the storage tests.

pub(crate) use super::{RowRef, DIRECT_LIMIT};
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
