//! The fields of a meeting as the language sees them (CONTRACT §3): which values a field has
//! for a record, how strings fold for comparison, and which fields have an index.
//!
//! **Invariant:** this is the one place that says what `org` or `country` means for a record;
//! the storage layer indexes exactly these values and the executor compares exactly these.

use crate::model::{Meeting, Participant};

/// A field of a meeting usable in `where`, `order by`, `count by` and `select`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MeetingField {
    /// The meeting's (partial) date.
    Date,
    /// "meeting", "call" or "video".
    Kind,
    /// Where it took place.
    City,
    /// Host country and countries involved.
    Country,
    /// `orgs` and every participant's `org`.
    Org,
    /// Participants' names.
    Person,
    /// Participants' titles.
    Title,
    /// Topics.
    Topic,
    /// Publisher, doc and url.
    Source,
    /// Summary and text.
    Text,
    /// The record id.
    Id,
}

impl MeetingField {
    /// Every field, in the order `.fields` lists them.
    pub const ALL: [MeetingField; 11] = [
        MeetingField::Date,
        MeetingField::Kind,
        MeetingField::City,
        MeetingField::Country,
        MeetingField::Org,
        MeetingField::Person,
        MeetingField::Title,
        MeetingField::Topic,
        MeetingField::Source,
        MeetingField::Text,
        MeetingField::Id,
    ];

    /// The field's name in the language.
    pub fn name(self) -> &'static str {
        match self {
            MeetingField::Date => "date",
            MeetingField::Kind => "kind",
            MeetingField::City => "city",
            MeetingField::Country => "country",
            MeetingField::Org => "org",
            MeetingField::Person => "person",
            MeetingField::Title => "title",
            MeetingField::Topic => "topic",
            MeetingField::Source => "source",
            MeetingField::Text => "text",
            MeetingField::Id => "id",
        }
    }

    /// The field named `name` (lower case), if any.
    pub fn from_name(name: &str) -> Option<MeetingField> {
        MeetingField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The secondary index that answers predicates on this field, if it has one.
    pub fn index(self) -> Option<IndexField> {
        match self {
            MeetingField::Org => Some(IndexField::Org),
            MeetingField::Person => Some(IndexField::Person),
            MeetingField::Country => Some(IndexField::Country),
            MeetingField::City => Some(IndexField::City),
            MeetingField::Topic => Some(IndexField::Topic),
            MeetingField::Source => Some(IndexField::Source),
            _ => None,
        }
    }

    /// The string values of this field for `m`, as stored (not folded). Empty for `date`.
    pub fn values(self, m: &Meeting) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        match self {
            MeetingField::Date => {}
            MeetingField::Kind => v.push(m.kind.as_str()),
            MeetingField::City => v.extend(m.city.as_deref()),
            MeetingField::Country => {
                v.extend(m.country.as_deref());
                v.extend(m.countries.iter().map(String::as_str));
            }
            MeetingField::Org => {
                v.extend(m.orgs.iter().map(String::as_str));
                v.extend(m.participants.iter().filter_map(|p| p.org.as_deref()));
            }
            MeetingField::Person => v.extend(m.participants.iter().map(|p| p.name.as_str())),
            MeetingField::Title => v.extend(m.participants.iter().filter_map(|p| p.title.as_deref())),
            MeetingField::Topic => v.extend(m.topics.iter().map(String::as_str)),
            MeetingField::Source => {
                v.extend(m.source.publisher.as_deref());
                v.extend(m.source.doc.as_deref());
                v.extend(m.source.url.as_deref());
            }
            MeetingField::Text => {
                v.extend(m.summary.as_deref());
                v.extend(m.text.as_deref());
            }
            MeetingField::Id => v.push(m.id.as_str()),
        }
        v.retain(|s| !s.trim().is_empty());
        v
    }

    /// Distinct values of this field for `m` by folded form, each with its first spelling
    /// (trimmed), in the order they appear.
    pub fn distinct_values(self, m: &Meeting) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        for v in self.values(m) {
            let f = fold(v);
            match out.iter_mut().find(|(g, _)| *g == f) {
                // Of several spellings, a capitalised one ("OSCE") reads better than "osce".
                Some(seen) if prefer_spelling(v.trim(), seen.1) => seen.1 = v.trim(),
                Some(_) => {}
                None => out.push((f, v.trim())),
            }
        }
        out
    }
}

/// A field inside `participant { ... }`: one participant's own value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParticipantField {
    /// The participant's name.
    Name,
    /// The participant's title.
    Title,
    /// The participant's organisation.
    Org,
    /// The participant's country.
    Country,
}

impl ParticipantField {
    /// Every participant field.
    pub const ALL: [ParticipantField; 4] =
        [ParticipantField::Name, ParticipantField::Title, ParticipantField::Org, ParticipantField::Country];

    /// The field's name inside `participant { }`.
    pub fn name(self) -> &'static str {
        match self {
            ParticipantField::Name => "name",
            ParticipantField::Title => "title",
            ParticipantField::Org => "org",
            ParticipantField::Country => "country",
        }
    }

    /// The field named `name`, if any.
    pub fn from_name(name: &str) -> Option<ParticipantField> {
        ParticipantField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// This participant's value of the field.
    pub fn value(self, p: &Participant) -> Option<&str> {
        match self {
            ParticipantField::Name => Some(p.name.as_str()),
            ParticipantField::Title => p.title.as_deref(),
            ParticipantField::Org => p.org.as_deref(),
            ParticipantField::Country => p.country.as_deref(),
        }
        .filter(|s| !s.trim().is_empty())
    }

    /// The meeting-level field whose index holds a superset of this field's values, used to
    /// narrow candidates for `participant { }` before checking each participant.
    pub fn meeting_field(self) -> MeetingField {
        match self {
            ParticipantField::Name => MeetingField::Person,
            ParticipantField::Title => MeetingField::Title,
            ParticipantField::Org => MeetingField::Org,
            ParticipantField::Country => MeetingField::Country,
        }
    }
}

/// A field with a secondary index: its values, folded, map to the meetings that have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndexField {
    /// `org`
    Org,
    /// `person`
    Person,
    /// `country`
    Country,
    /// `city`
    City,
    /// `topic`
    Topic,
    /// `source`
    Source,
}

impl IndexField {
    /// Every indexed field.
    pub const ALL: [IndexField; 6] = [
        IndexField::Org,
        IndexField::Person,
        IndexField::Country,
        IndexField::City,
        IndexField::Topic,
        IndexField::Source,
    ];

    /// The meeting field this index answers.
    pub fn field(self) -> MeetingField {
        match self {
            IndexField::Org => MeetingField::Org,
            IndexField::Person => MeetingField::Person,
            IndexField::Country => MeetingField::Country,
            IndexField::City => MeetingField::City,
            IndexField::Topic => MeetingField::Topic,
            IndexField::Source => MeetingField::Source,
        }
    }
}

/// Whether `new` is a better way to show a value than `old` (they fold alike): one with
/// capitals beats an all-lower-case one.
pub fn prefer_spelling(new: &str, old: &str) -> bool {
    old.chars().all(|c| !c.is_uppercase()) && new.chars().any(char::is_uppercase)
}

/// The form strings compare in: surrounding white space removed, lower-cased (Unicode), so
/// `" Türkiye "` and `"türkiye"` are equal.
pub fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// `fold` for a prefix or substring pattern: leading white space is removed but trailing white
/// space is kept, since `starts with "UN "` must not match "UNRCCA".
pub fn fold_pattern(s: &str) -> String {
    s.trim_start().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_includes_participants_orgs_and_folds() {
        let m: Meeting = serde_json::from_str(
            r#"{"date":"2024","orgs":[" UNRCCA ","UN"],"participants":[{"name":"A","org":"unrcca"},{"name":"B","org":"OSCE"}]}"#,
        )
        .unwrap();
        let d: Vec<String> = MeetingField::Org.distinct_values(&m).into_iter().map(|(f, _)| f).collect();
        assert_eq!(d, ["unrcca", "un", "osce"]);
        assert_eq!(fold(" Türkiye "), "türkiye");
    }
}
