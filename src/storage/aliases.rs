//! Org aliases: pairs of names that stand for one organisation, kept both ways.

use super::{keys, Batch, Engine, Store};
use crate::error::Result;

impl<E: Engine> Store<E> {
    /// Records that each pair names one organisation (an acronym and its full name), both ways,
    /// durably.
    pub fn add_aliases(&self, pairs: &[(String, String)]) -> Result<()> {
        let mut batch = Batch::default();
        for (a, b) in pairs {
            let (fa, fb) = (crate::fields::fold(a), crate::fields::fold(b));
            if fa.is_empty() || fb.is_empty() || fa == fb {
                continue;
            }
            batch.insert(keys::alias(&fa, &fb), b.trim().as_bytes());
            batch.insert(keys::alias(&fb, &fa), a.trim().as_bytes());
        }
        self.db.apply(batch)?;
        self.flush()
    }

    /// The folded names recorded as aliases of `folded` (one step).
    pub fn aliases(&self, folded: &str) -> Result<Vec<String>> {
        let prefix = keys::alias_prefix(folded);
        let mut out = Vec::new();
        for k in self.db.scan_prefix(&prefix).map(|kv| kv.map(|(k, _)| k)) {
            let k = k?;
            if let Some((other, _)) = keys::take_string(&k[prefix.len()..]) {
                out.push(other);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_kept_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.add_aliases(&[("UNRCCA".into(), "UN Regional Centre for Preventive Diplomacy".into())]).unwrap();
        assert_eq!(s.aliases("unrcca").unwrap(), ["un regional centre for preventive diplomacy"]);
        assert_eq!(s.aliases("un regional centre for preventive diplomacy").unwrap(), ["unrcca"]);
        assert!(s.aliases("un").unwrap().is_empty());
    }
}
