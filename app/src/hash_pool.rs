//! Password hashing on its own low-priority threads.
//!
//! Argon2 burns about 20 ms of CPU per sign-in on purpose. On tokio's blocking pool
//! that work competes on equal terms with the threads serving pages, so a sign-in
//! storm slows every page. Here hashes run on dedicated threads at the lowest
//! scheduling priority (`SCHED_IDLE` on Linux, the lowest nice value elsewhere):
//! page work preempts them, and sign-ins get the CPU that is left. Nice 19 was not
//! low enough: under `make bench`'s storm it still doubled the dashboard's p95,
//! where `SCHED_IDLE` added a fraction of that (README, Performance).
//!
//! A bounded number run at once; a sign-in that cannot get a slot within the wait
//! gets `Busy` (503 with Retry-After) instead of piling up.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};

use crate::error::AppError;

type Job = Box<dyn FnOnce() + Send>;

pub struct HashPool {
    jobs: Sender<Job>,
    slots: Arc<Semaphore>,
    wait: Duration,
}

impl HashPool {
    /// Starts `threads` hashing threads; they stop when the pool is dropped.
    pub fn start(threads: usize, wait: Duration) -> Self {
        let threads = threads.max(1);
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..threads {
            let rx = Arc::clone(&rx);
            let spawned = std::thread::Builder::new()
                .name(format!("gapwise-hash-{n}"))
                .spawn(move || worker(&rx));
            if let Err(err) = spawned {
                tracing::error!(%err, "could not start a hashing thread");
            }
        }
        Self {
            jobs: tx,
            slots: Arc::new(Semaphore::new(threads)),
            wait,
        }
    }

    /// Runs `work` on a hashing thread and returns its result.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let _slot = tokio::time::timeout(self.wait, self.slots.acquire())
            .await
            .map_err(|_| AppError::Busy {
                retry_after_secs: 2,
            })?
            .map_err(AppError::internal)?;
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.jobs
            .send(job)
            .map_err(|_| AppError::internal("hashing threads stopped"))?;
        // A job that panicked drops its sender; that surfaces here as an error.
        result
            .await
            .map_err(|_| AppError::internal("password hashing failed"))
    }
}

fn worker(jobs: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        // Holding the lock only while waiting for the next job.
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => {
                if catch_unwind(AssertUnwindSafe(job)).is_err() {
                    tracing::error!("a password hash panicked");
                }
            }
            Err(_) => return, // the pool was dropped
        }
    }
}

/// Lowering a thread's own priority needs no privileges.
fn lower_priority() {
    use thread_priority::*;
    #[cfg(target_os = "linux")]
    let lowered = set_thread_priority_and_policy(
        thread_native_id(),
        ThreadPriority::Min,
        ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
    );
    #[cfg(not(target_os = "linux"))]
    let lowered = set_current_thread_priority(ThreadPriority::Min);
    if let Err(err) = lowered {
        tracing::warn!(?err, "hashing thread keeps normal priority");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_work_and_survives_a_panic() {
        let pool = HashPool::start(1, Duration::from_secs(1));
        assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42);
        let failed = pool.run(|| -> u8 { panic!("boom") }).await;
        assert!(failed.is_err());
        // The one thread is still there after the panic.
        assert_eq!(pool.run(|| "again").await.unwrap(), "again");
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_run_at_idle_priority() {
        use thread_priority::{
            NormalThreadSchedulePolicy, ThreadSchedulePolicy, thread_schedule_policy,
        };
        let pool = HashPool::start(1, Duration::from_secs(1));
        let policy = pool.run(thread_schedule_policy).await.unwrap().unwrap();
        assert_eq!(
            policy,
            ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle)
        );
        // The threads serving requests keep their normal priority.
        assert_ne!(thread_schedule_policy().unwrap(), policy);
    }

    #[tokio::test]
    async fn busy_when_no_slot_frees_in_time() {
        let pool = Arc::new(HashPool::start(1, Duration::from_millis(50)));
        let slow = {
            let pool = Arc::clone(&pool);
            tokio::spawn(async move {
                pool.run(|| std::thread::sleep(Duration::from_millis(500)))
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        let refused = pool.run(|| ()).await;
        assert!(matches!(refused, Err(AppError::Busy { .. })));
        assert!(slow.await.unwrap().is_ok());
    }
}
