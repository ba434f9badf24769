//! `policy`: the thresholds and rules in force — the lot's recorded policy
//! (a `policy_changed` event that every terminal applies), or, before one is
//! recorded, this terminal's config file — and `policy set`, which records a
//! new one.
//!
//! What lives elsewhere: the values and their ranges (`domain::policy`), the
//! record (`ops::Op::SetPolicy`).

use std::io::Write;

use super::args::PolicyStep;
use super::output::{self, local, say};
use super::{Failure, Setup};
use crate::domain::clock::SystemClock;
use crate::domain::policy::Policy;
use crate::i18n::CliMsg;
use crate::ops::{self, Op};
use crate::store::Store;

pub(super) fn run(
    store: &mut Store,
    setup: &Setup,
    config_policy: &Policy,
    step: Option<PolicyStep>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = setup.lang;
    let tz = setup.config.timezone;
    match step.unwrap_or(PolicyStep::Show { json: false }) {
        PolicyStep::Show { json } => {
            let recorded = store
                .recorded_policy()
                .map_err(Failure::reading(lang, store))?;
            if json {
                output::json(out, &setup.config.policy)?;
                return Ok(());
            }
            match &recorded {
                Some(r) => {
                    writeln!(
                        out,
                        "{}",
                        say(
                            lang,
                            CliMsg::PolicyFromLot,
                            &[&local(r.since, tz), &r.event]
                        )
                    )?;
                }
                None => writeln!(out, "{}", CliMsg::PolicyFromConfig.text(lang))?,
            }
            write_policy(out, &setup.config.policy)?;
            if recorded.is_some_and(|r| &r.policy != config_policy) {
                writeln!(out, "{}", CliMsg::PolicyDiffers.text(lang))?;
            }
            Ok(())
        }
        PolicyStep::Set {
            from_config,
            changes,
        } => {
            let base = if from_config {
                config_policy.clone()
            } else {
                setup.config.policy.clone()
            };
            let policy = with_changes(&base, &changes)?;
            let clock = SystemClock;
            let ctx = setup.ctx(&clock);
            match ops::execute(
                store,
                &ctx,
                &Op::SetPolicy {
                    policy: policy.clone(),
                },
            ) {
                Ok(_) => {
                    writeln!(out, "{}", CliMsg::PolicySet.text(lang))?;
                    write_policy(out, &policy)?;
                    Ok(())
                }
                Err(e) => Err(Failure::op(lang, e)),
            }
        }
    }
}

/// The policy as the config file writes it, one key a line.
fn write_policy(out: &mut dyn Write, p: &Policy) -> std::io::Result<()> {
    for line in toml::to_string(p).unwrap_or_default().lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// `base` with `KEY=VALUE` changes, checked as the config file is.
fn with_changes(base: &Policy, changes: &[String]) -> Result<Policy, Failure> {
    let mut text = toml::to_string(base).map_err(|e| Failure::Env(e.to_string()))?;
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| Failure::Env(e.to_string()))?;
    for c in changes {
        let Some((k, v)) = c.split_once('=') else {
            return Err(Failure::Usage(format!(
                "'{}' is not KEY=VALUE (e.g. fever_c=37.5)",
                crate::domain::text::echo(c)
            )));
        };
        let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {}", v.trim()))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "'{}' is not a value (a number, true or false)",
                    crate::domain::text::echo(v)
                ))
            })?;
        table.insert(k.trim().to_string(), value);
    }
    text = toml::to_string(&table).map_err(|e| Failure::Env(e.to_string()))?;
    Policy::from_toml(&text).map_err(|e| Failure::Usage(e.to_string()))
}
