//! The words Rust shows itself (the native menu, OS notifications), read from the UI's locale
//! catalogs at compile time: every user-facing word lives once, in `ui/src/locales`. Rust uses
//! only keys without ICU plurals or selects (checked by a test), so plain `{name}` replacement is
//! a complete formatter here.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhCn,
    Ko,
}

const SOURCES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../../ui/src/locales/en.json")),
    (Lang::ZhCn, include_str!("../../ui/src/locales/zh-CN.json")),
    (Lang::Ko, include_str!("../../ui/src/locales/ko.json")),
];

impl Lang {
    /// A language tag as the OS or the settings give it: `zh-CN`, `zh_TW.UTF-8`, `ko-KR`, `en`…
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t.starts_with("zh") {
            Lang::ZhCn
        } else if t.starts_with("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The settings' choice; "" follows the OS language.
    pub fn from_pref(pref: &str) -> Lang {
        if pref.trim().is_empty() {
            Lang::from_tag(&sys_locale::get_locale().unwrap_or_default())
        } else {
            Lang::from_tag(pref)
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::ZhCn => 1,
            Lang::Ko => 2,
        }
    }
}

/// The pref values the settings accept ("" = the OS language).
pub const LANGUAGE_PREFS: [&str; 4] = ["", "en", "zh-CN", "ko"];

fn flatten(v: &Value, prefix: &str, out: &mut HashMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(v, &key, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        _ => {}
    }
}

fn catalog(lang: Lang) -> &'static HashMap<String, String> {
    static CATALOGS: OnceLock<Vec<HashMap<String, String>>> = OnceLock::new();
    &CATALOGS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(_, src)| {
                let mut m = HashMap::new();
                // the catalogs are checked by the UI's tests and by this module's; a broken one
                // leaves its language empty (English then answers) rather than failing the app
                if let Ok(v) = serde_json::from_str::<Value>(src) {
                    flatten(&v, "", &mut m);
                }
                m
            })
            .collect()
    })[lang.index()]
}

/// The message `key` in `lang` (English when missing there, the key itself when missing in
/// English too), with each `{name}` replaced by its parameter.
pub fn text(lang: Lang, key: &str, params: &[(&str, &str)]) -> String {
    let msg = catalog(lang)
        .get(key)
        .or_else(|| catalog(Lang::En).get(key))
        .map(String::as_str)
        .unwrap_or(key);
    let mut out = msg.to_string();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// "2 d 3 h", "5 h 10 min", "12 min", "40 s" in `lang`: the largest two units.
pub fn duration(lang: Lang, secs: u64) -> String {
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    let unit = |key: &str, n: u64| text(lang, key, &[("n", &n.to_string())]);
    let (days, hours, mins) = (
        "native.units.days",
        "native.units.hours",
        "native.units.minutes",
    );
    match (d, h, m) {
        (0, 0, 0) => unit("native.units.seconds", secs),
        (0, 0, m) => unit(mins, m),
        (0, h, 0) => unit(hours, h),
        (0, h, m) => format!("{} {}", unit(hours, h), unit(mins, m)),
        (d, 0, _) => unit(days, d),
        (d, h, _) => format!("{} {}", unit(days, d), unit(hours, h)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `native.*` key of the English catalog, and the other keys Rust reads.
    fn rust_keys() -> Vec<String> {
        let mut keys: Vec<String> = catalog(Lang::En)
            .keys()
            .filter(|k| k.starts_with("native."))
            .cloned()
            .collect();
        keys.extend(
            catalog(Lang::En)
                .keys()
                .filter(|k| k.starts_with("activity.kinds.") || k.starts_with("activity.states."))
                .cloned(),
        );
        keys.sort();
        keys
    }

    #[test]
    fn the_catalogs_parse_and_hold_every_key_rust_reads_without_plurals() {
        let keys = rust_keys();
        assert!(keys.len() > 20, "{keys:?}");
        for (lang, _) in SOURCES {
            for k in &keys {
                let v = catalog(lang)
                    .get(k)
                    .unwrap_or_else(|| panic!("{lang:?} lacks {k}"));
                assert!(!v.trim().is_empty(), "{lang:?} {k} is empty");
                assert!(
                    !v.contains(", plural") && !v.contains(", select"),
                    "{k}: Rust formats only plain {{name}}"
                );
            }
        }
    }

    #[test]
    fn every_native_key_is_read_by_rust() {
        // the UI's unused-key test leaves `native.*` to this one
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src");
        let mut src = String::new();
        fn read(dir: &std::path::Path, out: &mut String) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    read(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push_str(&std::fs::read_to_string(&p).unwrap());
                }
            }
        }
        read(&dir, &mut src);
        let unused: Vec<_> = rust_keys()
            .into_iter()
            .filter(|k| k.starts_with("native.") && !src.contains(&format!("\"{k}\"")))
            .collect();
        assert!(unused.is_empty(), "keys nothing reads: {unused:?}");
    }

    #[test]
    fn languages_follow_tags_and_parameters_fill_in() {
        assert_eq!(Lang::from_tag("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_tag("ko-KR"), Lang::Ko);
        assert_eq!(Lang::from_tag("de-DE"), Lang::En);
        assert_eq!(
            text(
                Lang::En,
                "activity.notified",
                &[("what", "A"), ("outcome", "b")]
            ),
            "A: b"
        );
        assert_ne!(
            text(Lang::ZhCn, "native.menu.refresh", &[]),
            text(Lang::En, "native.menu.refresh", &[])
        );
        assert_eq!(text(Lang::Ko, "no.such.key", &[]), "no.such.key");
        assert_eq!(duration(Lang::En, 40), "40 s");
        assert_eq!(duration(Lang::En, 2 * 86_400 + 3 * 3600 + 60), "2 d 3 h");
        assert_eq!(duration(Lang::En, 3600 + 600), "1 h 10 min");
        assert_eq!(duration(Lang::ZhCn, 3600), "1 小时");
    }
}
