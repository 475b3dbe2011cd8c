//! A record's JSON (CONTRACT §2), written straight into a buffer: the bytes `serde_json` writes
//! for a [`Meeting`], without its serializer's walk. Writing a large result (`meetql query -f
//! jsonl`, `export`) spends much of its time here; the tests hold the output byte for byte to
//! `serde_json::to_vec`.

use std::io::Write;

use crate::model::{Meeting, Participant};

/// What a byte becomes inside a JSON string, as `serde_json` writes it: `0` for itself, a
/// letter for a two-character escape (`\n`), `u` for `\u00XX`.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Appends `s` as a JSON string.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let e = ESCAPE[b as usize];
        if e == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        if e == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]]);
        } else {
            out.extend_from_slice(&[b'\\', e]);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends `s` as a JSON string, or `null`.
fn optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends `"key":` after a comma unless it is the first key.
fn key(out: &mut Vec<u8>, first: bool, k: &str) {
    if !first {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(k.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Appends `items` as a JSON array, each written by `each`.
fn array<T>(out: &mut Vec<u8>, items: &[T], each: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, item);
    }
    out.push(b']');
}

fn strings(out: &mut Vec<u8>, v: &[String]) {
    array(out, v, |out, s| string(out, s));
}

fn participant(out: &mut Vec<u8>, p: &Participant) {
    out.push(b'{');
    key(out, true, "name");
    string(out, &p.name);
    key(out, false, "title");
    optional(out, p.title.as_deref());
    key(out, false, "org");
    optional(out, p.org.as_deref());
    key(out, false, "country");
    optional(out, p.country.as_deref());
    out.push(b'}');
}

/// Appends the record's JSON object, exactly as `serde_json::to_vec(m)` writes it.
pub(crate) fn meeting(out: &mut Vec<u8>, m: &Meeting) {
    // Every field by name, so that a field added to `Meeting` fails to compile here.
    let Meeting { id, date, kind, city, country, participants, orgs, countries, topics, source, summary, text } = m;
    out.push(b'{');
    key(out, true, "id");
    string(out, id);
    key(out, false, "date");
    // A date's text is digits and dashes: nothing to escape.
    let _ = write!(out, "\"{date}\"");
    key(out, false, "kind");
    string(out, kind.as_str());
    key(out, false, "city");
    optional(out, city.as_deref());
    key(out, false, "country");
    optional(out, country.as_deref());
    key(out, false, "participants");
    array(out, participants, participant);
    key(out, false, "orgs");
    strings(out, orgs);
    key(out, false, "countries");
    strings(out, countries);
    key(out, false, "topics");
    strings(out, topics);
    key(out, false, "source");
    out.push(b'{');
    key(out, true, "publisher");
    optional(out, source.publisher.as_deref());
    key(out, false, "doc");
    optional(out, source.doc.as_deref());
    key(out, false, "url");
    optional(out, source.url.as_deref());
    out.push(b'}');
    key(out, false, "summary");
    optional(out, summary.as_deref());
    key(out, false, "text");
    optional(out, text.as_deref());
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(m: &Meeting) -> String {
        let mut out = Vec::new();
        meeting(&mut out, m);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn records_are_written_as_serde_json_writes_them() {
        let mut n = 0;
        for m in crate::gen::generate_meetings(5_000, 7) {
            assert_eq!(written(&m), serde_json::to_string(&m).unwrap());
            n += 1;
        }
        assert_eq!(n, 5_000);
    }

    #[test]
    fn every_character_that_needs_escaping_is_escaped_as_serde_json_does() {
        let every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        let odd = ["", "\"", "\\", "a\"b\\c", "\u{7f}\u{80}é日本\u{2028}\u{1F600}", "/</script>", &every_ascii];
        let bare: Meeting = serde_json::from_str(r#"{"date":"2024"}"#).unwrap();
        for s in odd {
            let m = Meeting {
                id: s.into(),
                city: Some(s.into()),
                participants: vec![Participant { name: s.into(), title: Some(s.into()), org: None, country: None }],
                orgs: vec![s.into(), s.into()],
                summary: Some(s.into()),
                text: Some(s.repeat(3)),
                ..bare.clone()
            };
            assert_eq!(written(&m), serde_json::to_string(&m).unwrap(), "{s:?}");
        }
        let full: Meeting = serde_json::from_str(
            r#"{"id":"m-1","date":"2024-02-29","kind":"video","city":"İstanbul","country":"Türkiye",
                "participants":[{"name":"A","title":"","org":"O","country":"C"}],"orgs":[],"countries":["X"],
                "topics":["t"],"source":{"publisher":"P","doc":"d.txt","url":"https://x"},"summary":"s","text":"t"}"#,
        )
        .unwrap();
        assert_eq!(written(&full), serde_json::to_string(&full).unwrap());
    }
}
