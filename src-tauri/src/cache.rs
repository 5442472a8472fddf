//! One small time-limited cache, used for everything the app keeps for a while.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Values kept for `ttl` after they were put; thread-safe, values are cloned out.
pub struct TtlCache<K, V> {
    ttl: Duration,
    map: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        TtlCache {
            ttl,
            map: Mutex::new(HashMap::new()),
        }
    }

    /// The value while it is fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        self.get_at(key, Instant::now())
    }

    fn get_at(&self, key: &K, now: Instant) -> Option<V> {
        let map = self.map.lock().unwrap();
        let (at, v) = map.get(key)?;
        (now.saturating_duration_since(*at) < self.ttl).then(|| v.clone())
    }

    pub fn put(&self, key: K, value: V) {
        self.map
            .lock()
            .unwrap()
            .insert(key, (Instant::now(), value));
    }

    pub fn remove(&self, key: &K) {
        self.map.lock().unwrap().remove(key);
    }

    pub fn clear(&self) {
        self.map.lock().unwrap().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_expire_after_their_ttl() {
        let c = TtlCache::new(Duration::from_secs(30));
        c.put("a", 1);
        let now = Instant::now();
        assert_eq!(c.get_at(&"a", now), Some(1));
        assert_eq!(c.get_at(&"a", now + Duration::from_secs(31)), None);
        assert_eq!(c.get(&"b"), None);
    }

    #[test]
    fn remove_and_clear_forget() {
        let c = TtlCache::new(Duration::from_secs(30));
        c.put(1, "x");
        c.put(2, "y");
        c.remove(&1);
        assert_eq!((c.get(&1), c.get(&2)), (None, Some("y")));
        c.clear();
        assert_eq!(c.get(&2), None);
    }
}
