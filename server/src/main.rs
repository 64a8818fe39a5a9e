//! `gapwise serve | migrate | create-admin | seed-demo | bench-data | bench-gaps |
//! bench-proposals | bench-learner | bench-exam | bench-exam-check`

use clap::{Parser, Subcommand};
use gapwise_server::{Config, Error, bench, bench_change, db, prepare, run, seed, shutdown_signal};
use tracing_subscriber::EnvFilter;

// glibc's malloc spends much of a busy server's time in lock contention between
// threads (seen with perf under load); mimalloc does not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gapwise",
    version,
    about = "Training needs and evaluation for a public service office"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve {
        /// Load the demo agency first if the database has no people yet.
        #[arg(long)]
        demo: bool,
        /// Allow `--demo` on an address other computers can reach (every demo
        /// account has the same, published password).
        #[arg(long)]
        allow_demo_on_network: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an administrator (or reset an existing one's password).
    CreateAdmin {
        #[arg(long)]
        employee_no: String,
        #[arg(long)]
        name: String,
        /// Read from the environment so it stays out of shell history.
        #[arg(long, env = "GAPWISE_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Load the demo agency into an empty database.
    SeedDemo,
    /// Fill an empty database with a large synthetic organisation for benchmarks:
    /// about 50 units, one closed campaign where every person was rated by
    /// themselves, their manager and one peer on every competency, with results.
    BenchData {
        #[arg(long, default_value_t = 10_000)]
        people: usize,
        #[arg(long, default_value_t = 30)]
        competencies: usize,
        /// Seed of the pseudo-random data; the same seed gives the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Time the assignment engine over `bench-data`'s office (adding 200 courses
    /// once): regenerating every proposal, and recompute + regenerate as closing
    /// a survey does.
    BenchProposals {
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Add to the demo office a learner (L0050) with this many assigned courses
    /// at every stage, for timing *My learning*.
    BenchLearner {
        #[arg(long, default_value_t = 50)]
        assignments: usize,
    },
    /// Prepare the exam-day burst: this many learners signed in (cookie tokens
    /// written to `out`, one per line) and a 20-question quiz, whose id is printed.
    BenchExam {
        #[arg(long, default_value_t = 2_000)]
        learners: usize,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// After the exam-day burst: check every receipted answer (`attempt position
    /// seq` per line) is stored, and the database's integrity.
    BenchExamCheck {
        #[arg(long)]
        quiz: uuid::Uuid,
        #[arg(long)]
        receipts: std::path::PathBuf,
    },
    /// Time the before/after report over `bench-data`'s office, adding a
    /// follow-up campaign with moved results the first time.
    BenchBeforeAfter {
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Time the unit heatmap and the organisation priorities (as an administrator)
    /// for the whole organisation and for one unit.
    BenchGaps {
        /// Timed runs of each view, after one warm-up run.
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Code of the unit to filter on; by default the sub-unit with the largest subtree.
        #[arg(long)]
        unit: Option<String>,
    },
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .init();
    let cli = Cli::parse();
    if let Err(err) = execute(cli).await {
        eprintln!("gapwise: {err}");
        std::process::exit(1);
    }
}

async fn execute(cli: Cli) -> Result<(), Error> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve {
        demo: false,
        allow_demo_on_network: false,
    }) {
        Command::Migrate => {
            let conn = db::connect(&config.database_url).await?;
            db::migrate(&conn).await?;
            println!("migrations applied");
        }
        Command::CreateAdmin {
            employee_no,
            name,
            password,
        } => {
            app::auth::service::validate_new_password(
                &password,
                &password,
                &[&employee_no, &name],
            )?;
            let state = prepare(&config).await?;
            app::auth::service::create_admin(&state, employee_no.trim(), name.trim(), &password)
                .await?;
            println!("administrator {employee_no} ready");
        }
        Command::SeedDemo => {
            let state = prepare(&config).await?;
            report_seed(seed::seed_demo(&state).await?);
        }
        Command::BenchData {
            people,
            competencies,
            seed,
        } => {
            let state = prepare(&config).await?;
            let options = bench::DataOptions {
                people,
                competencies,
                seed,
            };
            bench::bench_data(&state, &options).await?;
        }
        Command::BenchProposals { runs } => {
            let state = prepare(&config).await?;
            gapwise_server::bench_proposals::bench_proposals(&state, runs.max(1)).await?;
        }
        Command::BenchLearner { assignments } => {
            let state = prepare(&config).await?;
            gapwise_server::bench_learner::bench_learner(&state, assignments).await?;
        }
        Command::BenchExam { learners, out } => {
            let state = prepare(&config).await?;
            gapwise_server::bench_exam::bench_exam(&state, learners, &out).await?;
        }
        Command::BenchExamCheck { quiz, receipts } => {
            let state = prepare(&config).await?;
            gapwise_server::bench_exam::bench_exam_check(&state, quiz, &receipts).await?;
        }
        Command::BenchBeforeAfter { runs } => {
            let state = prepare(&config).await?;
            bench_change::bench_before_after(&state, runs.max(1)).await?;
        }
        Command::BenchGaps { runs, unit } => {
            let state = prepare(&config).await?;
            bench::bench_gaps(&state, runs.max(1), unit.as_deref()).await?;
        }
        Command::Serve {
            demo,
            allow_demo_on_network,
        } => {
            if demo && !allow_demo_on_network && !config.bind.ip().is_loopback() {
                return Err(Error::Refused(format!(
                    "refusing to load the demo on {}: every demo account shares one \
                     published password, so anyone who can reach this address could sign \
                     in as the administrator. Bind to 127.0.0.1, or pass \
                     --allow-demo-on-network if you really mean it.",
                    config.bind
                )));
            }
            let state = prepare(&config).await?;
            if demo {
                report_seed(seed::seed_demo(&state).await?);
            }
            let listener = tokio::net::TcpListener::bind(config.bind).await?;
            tracing::info!(
                "Gapwise listening on http://{} (public URL {})",
                listener.local_addr()?,
                config.public_url
            );
            run(state, listener, shutdown_signal()).await?;
        }
    }
    Ok(())
}

fn report_seed(outcome: seed::Outcome) {
    match outcome {
        seed::Outcome::Loaded { people } => println!("Demo agency loaded: {people} people."),
        seed::Outcome::Skipped => println!("Database already has people; demo data not loaded."),
    }
    println!("{}", seed::LOGINS_BANNER);
}
