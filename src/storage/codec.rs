//! The record codec: the one place that knows records are bincode.
//!
//! bincode is unmaintained upstream; swapping it means changing this file only. Decoding has a
//! size limit so that a damaged value cannot make us allocate without bound.

use crate::model::Meeting;

/// Largest encoded record we accept (a report's full text included).
pub const MAX_RECORD_BYTES: usize = 16 << 20;

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_RECORD_BYTES>()
}

/// Encodes a record for storage.
pub fn encode(m: &Meeting) -> Result<Vec<u8>, String> {
    bincode::serde::encode_to_vec(m, config()).map_err(|e| format!("cannot encode record {}: {e}", m.id))
}

/// Decodes a stored record, refusing trailing bytes and oversized values.
pub fn decode(bytes: &[u8]) -> Result<Meeting, String> {
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(format!("stored record of {} bytes exceeds the limit", bytes.len()));
    }
    let (m, used): (Meeting, usize) =
        bincode::serde::decode_from_slice(bytes, config()).map_err(|e| format!("damaged record: {e}"))?;
    if used != bytes.len() {
        return Err(format!("damaged record: {} trailing bytes", bytes.len() - used));
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let m: Meeting = serde_json::from_str(
            r#"{"id":"x","date":"2024-01","participants":[{"name":"Wang Yi"}],"orgs":["SCO"],"text":"t"}"#,
        )
        .unwrap();
        let b = encode(&m).unwrap();
        assert_eq!(decode(&b).unwrap(), m);
        assert!(decode(&b[..b.len() - 1]).is_err());
        assert!(decode(&[0xff; 40]).is_err());
        let mut longer = b.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
    }
}
