//! Demo service indicators (level 4): eighteen months, June 2025 to November
//! 2026, for the six units. Each unit has its own level and a little monthly
//! noise; the hall, after October's 社保经办系统实操, handles cases faster and
//! reworks fewer, while the other units stay as they were.

use std::collections::HashMap;

use app::entities::indicator_value;
use app::error::AppError;
use chrono::Utc;
use sea_orm::{ConnectionTrait, Set};
use uuid::Uuid;

use crate::synth::{Synth, insert_chunked};

/// Per unit code: (handling time, rework %, complaints per 1,000, satisfaction %,
/// waiting time) before any change.
const LEVELS: [(&str, [f64; 5]); 6] = [
    ("HALL", [18.0, 4.8, 2.4, 96.2, 14.0]),
    ("CONTRIB", [24.0, 3.6, 1.1, 97.5, 8.0]),
    ("BENEFITS", [31.0, 4.1, 1.4, 96.8, 9.0]),
    ("AUDIT", [42.0, 3.2, 0.6, 98.1, 6.0]),
    ("INFO", [15.0, 2.9, 0.4, 98.6, 5.0]),
    ("ADMIN", [12.0, 2.2, 0.3, 98.9, 4.0]),
];
const CODES: [&str; 5] = [
    "handling_time",
    "rework_rate",
    "complaints",
    "satisfaction",
    "waiting_time",
];
/// How much each indicator moves in the hall from November 2026.
const HALL_AFTER: [f64; 5] = [-2.6, -1.6, -0.5, 0.6, -2.0];
/// Relative monthly noise.
const NOISE: [f64; 5] = [0.04, 0.06, 0.15, 0.004, 0.06];

pub async fn insert(
    db: &impl ConnectionTrait,
    units: &HashMap<&str, Uuid>,
) -> Result<usize, AppError> {
    let mut synth = Synth::new(202_611);
    let now = Utc::now();
    let mut rows = Vec::new();
    for (code, levels) in LEVELS {
        let Some(unit) = units.get(code).copied() else {
            continue;
        };
        for k in 0..18 {
            let (year, month) = (2025 + (5 + k) / 12, (5 + k) % 12 + 1);
            let after = code == "HALL" && (year, month) >= (2026, 11);
            for (i, indicator) in CODES.iter().enumerate() {
                let base = levels[i] + if after { HALL_AFTER[i] } else { 0.0 };
                let value = synth.normal(base, base * NOISE[i]).max(0.0);
                let value = if indicator == &"satisfaction" {
                    value.min(100.0)
                } else {
                    value
                };
                rows.push(indicator_value::ActiveModel {
                    unit_id: Set(unit),
                    indicator: Set((*indicator).to_owned()),
                    month: Set(format!("{year:04}-{month:02}")),
                    value: Set((value * 100.0).round() / 100.0),
                    updated_at: Set(now),
                });
            }
        }
    }
    let n = rows.len();
    insert_chunked(db, rows, 500).await?;
    Ok(n)
}
