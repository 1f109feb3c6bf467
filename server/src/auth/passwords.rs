//! Passwords: Argon2id hashes in PHC string form, and generated passwords for the first admin.

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::{Rng, RngCore};

/// Shortest password `admin create-user` accepts.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// An Argon2id hash in PHC string form.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Most password hashes running at once, whatever the core count: each holds Argon2's 19 MiB of working
/// memory, so this is what bounds a login flood's memory (4 × 19 MiB), on a 2-core phone-shop server and a
/// 64-core CI machine alike (R-hardening: peak RSS ≤ 400 MB under 256 concurrent logins).
pub const MAX_HASHING_SLOTS: usize = 4;

/// Slots for password hashing, each with its own Argon2 working memory, allocated once and reused.
///
/// The memory belongs to the slot, not to a thread: the blocking pool may run a login on any of hundreds of
/// threads, and per-thread memory grew with the pool (one 19 MiB block per thread that ever hashed).
/// Allocating afresh per login fragments the heap (aligned allocations the allocator cannot reuse).
pub struct HashingSlots {
    permits: tokio::sync::Semaphore,
    memory: std::sync::Mutex<Vec<WorkingMemory>>,
}

/// One slot's Argon2 working memory, handed to the blocking thread that hashes.
#[derive(Clone, Default)]
pub struct WorkingMemory(std::sync::Arc<std::sync::Mutex<Vec<Block>>>);

impl WorkingMemory {
    /// Whether `password` matches `hash`, using this memory.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        verify_with_memory(password, hash, &mut m)
    }
}

/// A hashing slot held by one login; its memory goes back to the pool when dropped.
pub struct HashingSlot<'a> {
    slots: &'a HashingSlots,
    memory: WorkingMemory,
    _permit: tokio::sync::SemaphorePermit<'a>,
}

impl HashingSlots {
    /// `n` slots (at least one, at most [`MAX_HASHING_SLOTS`]).
    pub fn new(n: usize) -> Self {
        let n = n.clamp(1, MAX_HASHING_SLOTS);
        Self {
            permits: tokio::sync::Semaphore::new(n),
            memory: std::sync::Mutex::new((0..n).map(|_| WorkingMemory::default()).collect()),
        }
    }

    /// One slot per core, up to [`MAX_HASHING_SLOTS`].
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// Waits up to `wait` for a free slot; `None` when every slot stayed busy.
    pub async fn acquire(&self, wait: std::time::Duration) -> Option<HashingSlot<'_>> {
        let permit = tokio::time::timeout(wait, self.permits.acquire())
            .await
            .ok()?
            .ok()?;
        let memory = self
            .memory
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        Some(HashingSlot {
            slots: self,
            memory,
            _permit: permit,
        })
    }
}

impl HashingSlot<'_> {
    /// This slot's working memory, to move into the blocking closure that hashes.
    pub fn memory(&self) -> WorkingMemory {
        self.memory.clone()
    }
}

impl Drop for HashingSlot<'_> {
    fn drop(&mut self) {
        let memory = std::mem::take(&mut self.memory);
        self.slots
            .memory
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(memory);
    }
}

/// Whether `password` matches the PHC string `hash` (Argon2, any parameters), in constant time.
pub fn verify_password(password: &str, hash: &str) -> bool {
    verify_with_memory(password, hash, &mut Vec::new())
}

/// [`verify_password`] with caller-owned working memory, grown to the hash's block count if needed.
fn verify_with_memory(password: &str, hash: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(h) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(params), Some(expected), Some(salt)) = (Params::try_from(&h), h.hash, h.salt) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(h.algorithm) else {
        return false;
    };
    let version = match h.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let need = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    if memory.len() < need {
        memory.resize(need, Block::default());
    }
    let hashed = argon2.hash_password_into_with_memory(
        password.as_bytes(),
        salt,
        &mut out,
        &mut memory[..need],
    );
    // `Output`'s equality is constant-time.
    hashed.is_ok() && Output::new(&out).is_ok_and(|o| o == expected)
}

/// A password for the first admin when none is configured: 16 letters and digits.
pub fn generate_password() -> String {
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

/// An Argon2id hash of a random string, verified against for unknown usernames.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&generate_password()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(PasswordHash::new(dummy_hash()).is_ok());
        assert_eq!(generate_password().len(), 16);
    }

    #[tokio::test]
    async fn slots_are_capped_and_their_memory_is_reused() {
        // Hardening: however many cores, at most four hashes (4 × 19 MiB) run at once.
        let slots = HashingSlots::new(64);
        let wait = std::time::Duration::from_millis(20);
        let mut held = Vec::new();
        for _ in 0..MAX_HASHING_SLOTS {
            held.push(slots.acquire(wait).await.expect("a free slot"));
        }
        assert!(slots.acquire(wait).await.is_none(), "a fifth slot");
        let h = hash_password("correct horse").unwrap();
        assert!(held[0].memory().verify("correct horse", &h));
        assert!(!held[0].memory().verify("wrong", &h));
        let grown = held[0].memory().0.lock().unwrap().len();
        assert_eq!(grown, 19 * 1024, "19 MiB of 1 KiB blocks");
        held.clear();
        // Returned to the pool: every slot is free again, and one of them keeps the grown memory.
        let mut again = Vec::new();
        for _ in 0..MAX_HASHING_SLOTS {
            again.push(slots.acquire(wait).await);
        }
        let lens: Vec<usize> = again
            .iter()
            .map(|s| s.as_ref().unwrap().memory().0.lock().unwrap().len())
            .collect();
        assert_eq!(
            lens.iter().filter(|&&l| l == 19 * 1024).count(),
            1,
            "{lens:?}"
        );
    }
}
