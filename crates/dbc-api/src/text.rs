//! Message keys: every error and field rule has a stable id the UI looks up in its catalogs
//! (`errors.<key>.title|message|hint`, `fieldRules.<rule>`), parameters for the values in the
//! text (numbers, names, the node's own words: never translated), and an English template kept
//! here for the CLI and logs. A template's `{name}` placeholders are exactly its parameters.

use std::collections::BTreeMap;

/// Parameters of a message: placeholder name → value (sent as is; the UI never translates them).
pub type Params = BTreeMap<String, String>;

/// The English words of an error key (templates with `{name}` placeholders).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyText {
    pub title: &'static str,
    pub message: &'static str,
    pub hint: Option<&'static str>,
}

/// Fill a template's `{name}` placeholders from `params` (unknown names stay as written).
pub fn render(template: &str, params: &Params) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                let name = &after[..close];
                match params.get(name) {
                    Some(v) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The placeholder names of a template, in order of first use.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                let name = &after[..close];
                if !out.contains(&name) {
                    out.push(name);
                }
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Parameters from `(name, value)` pairs.
pub fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// An enum of message keys: each variant has a wire id (its serialized form), an English title,
/// message and optional hint. Derives `Serialize` (as the id) and lists every key in `ALL`.
#[macro_export]
macro_rules! message_keys {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $v:ident = $id:literal {
                    title: $t:literal,
                    message: $m:literal
                    $(, hint: $h:literal)?
                    $(,)?
                }
            )*
        }
    ) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        $(#[$meta])*
        $vis enum $name {
            $( $(#[doc = $doc])* #[serde(rename = $id)] $v, )*
        }
        impl $name {
            /// Every key, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            /// The key as the UI's catalogs name it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $id),* }
            }
            /// The English title, message and hint templates.
            pub fn english(self) -> $crate::text::KeyText {
                match self {
                    $($name::$v => $crate::text::KeyText {
                        title: $t,
                        message: $m,
                        hint: $crate::message_keys!(@opt $($h)?),
                    }),*
                }
            }
        }
    };
    (@opt) => { None };
    (@opt $h:literal) => { Some($h) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_lists_placeholders() {
        let p = params([("min", "1".into()), ("max", "9".into())]);
        assert_eq!(render("between {min} and {max}", &p), "between 1 and 9");
        assert_eq!(
            render("{x} stays, { not a name }", &p),
            "{x} stays, { not a name }"
        );
        assert_eq!(placeholders("{a} {b} {a} {c d}"), ["a", "b"]);
    }
}
