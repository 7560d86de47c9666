//! Benchmark of the planner on synthetic campaigns built from real comuni.
//!
//! ```text
//! cargo run --release -p cabina-planner --example plan_bench -- backend/seed/comuni-italia.csv [--threads N] [--twice] [--imperia-only] [--json-out FILE]
//! ```
//!
//! - Imperia: the 66 comuni of IM, venues Imperia (seat of the Province), Sanremo,
//!   Ventimiglia, Taggia, Bordighera, Diano Marina, Pieve di Teco.
//! - Italy: every Province, venues = capital(s) + the 5 largest comuni + 2 "hubs" picked
//!   for being populous and far from the others (so that inland valleys have a room).
//!
//! The campaign is synthetic and deterministic: staff ≈ 6.5 per 1,000 inhabitants, spread
//! over the 14 office areas; which theme × area lines a comune files, their headcount,
//! priority, preferred modality and named employees come from a hash of (comune, theme,
//! area), never from a clock-seeded random generator.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use planner::{
    ComunePoint, NeedLine, Plan, PlanInput, PlanParameters, PreferredModality, Priority, ThemeInfo,
    VenueOption,
};

/// The themes of `backend/src/domain/reference.rs` (code, name, presence-only, mandatory).
const THEMES: &[(&str, &str, bool, bool)] = &[
    (
        "sicurezza_lavoro_generale",
        "Sicurezza sul lavoro: formazione generale e specifica",
        false,
        true,
    ),
    (
        "sicurezza_lavoro_aggiornamento",
        "Sicurezza sul lavoro: aggiornamento quinquennale",
        false,
        true,
    ),
    (
        "sicurezza_rischio_medio_alto",
        "Sicurezza: formazione specifica rischio medio e alto",
        true,
        true,
    ),
    ("sicurezza_preposti", "Sicurezza: preposti", true, true),
    ("primo_soccorso", "Addetti al primo soccorso", true, true),
    ("antincendio", "Addetti antincendio", true, true),
    (
        "viabilita_segnaletica_cantieri",
        "Viabilità: segnaletica stradale per cantieri",
        true,
        true,
    ),
    (
        "viabilita_gestione_strade",
        "Viabilità: gestione e manutenzione delle strade",
        false,
        false,
    ),
    (
        "privacy",
        "Privacy e protezione dei dati personali",
        false,
        true,
    ),
    (
        "anticorruzione_trasparenza",
        "Anticorruzione e trasparenza",
        false,
        true,
    ),
    ("pari_opportunita", "Pari opportunità", false, false),
    ("urbanistica", "Urbanistica ed edilizia", false, false),
    ("ambiente", "Ambiente", false, false),
    ("protezione_civile", "Protezione civile", false, false),
    ("digitalizzazione", "Digitalizzazione", false, false),
    (
        "gestione_associata",
        "Gestione associata dei servizi",
        false,
        false,
    ),
    ("contratti_pubblici", "Contratti pubblici", false, false),
];

/// Office areas and their share of a comune's staff.
const AREAS: &[(&str, f64)] = &[
    ("affari_generali", 0.14),
    ("finanziaria", 0.10),
    ("tributi", 0.07),
    ("tecnica_lavori_pubblici", 0.14),
    ("urbanistica_edilizia", 0.08),
    ("ambiente", 0.04),
    ("polizia_locale", 0.13),
    ("demografici", 0.08),
    ("sociali", 0.08),
    ("personale", 0.03),
    ("suap_attivita_produttive", 0.03),
    ("protezione_civile", 0.02),
    ("informatica", 0.03),
    ("cultura_sport", 0.03),
];

/// Probability that an area with staff files a line for the theme (per person, see
/// `files`); `None` = the theme does not concern the area.
fn relevance(theme: &str, area: &str) -> Option<f64> {
    let tech = [
        "tecnica_lavori_pubblici",
        "ambiente",
        "polizia_locale",
        "protezione_civile",
    ];
    let p = match theme {
        "sicurezza_lavoro_generale" => 0.10,
        "sicurezza_lavoro_aggiornamento" => 0.14,
        "sicurezza_rischio_medio_alto" if tech.contains(&area) => 0.25,
        "sicurezza_preposti" => 0.05,
        "primo_soccorso" => 0.06,
        "antincendio" => 0.06,
        "viabilita_segnaletica_cantieri"
            if [
                "tecnica_lavori_pubblici",
                "polizia_locale",
                "protezione_civile",
            ]
            .contains(&area) =>
        {
            0.2
        }
        "viabilita_gestione_strade"
            if ["tecnica_lavori_pubblici", "polizia_locale"].contains(&area) =>
        {
            0.18
        }
        "privacy" => 0.14,
        "anticorruzione_trasparenza" => 0.16,
        "pari_opportunita" => 0.04,
        "urbanistica"
            if [
                "urbanistica_edilizia",
                "tecnica_lavori_pubblici",
                "suap_attivita_produttive",
            ]
            .contains(&area) =>
        {
            0.22
        }
        "ambiente" if ["ambiente", "tecnica_lavori_pubblici"].contains(&area) => 0.2,
        "protezione_civile"
            if [
                "protezione_civile",
                "polizia_locale",
                "tecnica_lavori_pubblici",
            ]
            .contains(&area) =>
        {
            0.18
        }
        "digitalizzazione" if area == "informatica" => 0.4,
        "digitalizzazione" => 0.08,
        "gestione_associata"
            if ["affari_generali", "finanziaria", "personale", "sociali"].contains(&area) =>
        {
            0.08
        }
        "contratti_pubblici"
            if ["affari_generali", "tecnica_lavori_pubblici", "finanziaria"].contains(&area) =>
        {
            0.22
        }
        _ => return None,
    };
    Some(p * CAMPAIGN_SCALE)
}

/// Scales every filing probability: ~100,000 need lines for all Italy.
const CAMPAIGN_SCALE: f64 = 0.35;

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Deterministic uniform in [0, 1) from a key and a salt.
fn unit(key: u64, salt: u64) -> f64 {
    (splitmix(key ^ splitmix(salt)) >> 11) as f64 / (1u64 << 53) as f64
}

#[derive(Clone)]
struct Row {
    istat: String,
    name: String,
    sigla: String,
    capital: bool,
    population: u64,
    lat: f64,
    lon: f64,
}

fn read_csv(path: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(path).expect("read the comuni CSV");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (ci, cn, cs, cc, cp, cla, clo) = (
        col("istat_code"),
        col("name"),
        col("province_sigla"),
        col("is_provincial_capital"),
        col("population"),
        col("latitude"),
        col("longitude"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                istat: f[ci].to_string(),
                name: f[cn].to_string(),
                sigla: f[cs].to_string(),
                capital: f[cc] == "true",
                population: f[cp].parse().unwrap_or(0),
                lat: f[cla].parse().expect("latitude"),
                lon: f[clo].parse().expect("longitude"),
            }
        })
        .collect()
}

fn themes() -> Vec<ThemeInfo> {
    THEMES
        .iter()
        .map(|(code, name, presence_only, mandatory)| ThemeInfo {
            code: code.to_string(),
            name: name.to_string(),
            presence_only: *presence_only,
            mandatory: *mandatory,
        })
        .collect()
}

/// The synthetic survey answers of a set of comuni.
fn campaign(rows: &[&Row]) -> Vec<NeedLine> {
    let mut needs = Vec::new();
    for r in rows {
        let cnum: u64 = r.istat.parse().unwrap_or(0);
        let staff = ((r.population as f64) * 6.5 / 1000.0).round().max(2.0);
        for (ai, (area, share)) in AREAS.iter().enumerate() {
            let key_a = cnum * 1000 + ai as u64;
            // Stochastic rounding of the area's staff.
            let raw = staff * share;
            let a = (raw.floor() + f64::from(unit(key_a, 1) < raw.fract())) as u32;
            if a == 0 {
                continue;
            }
            for (ti, (theme, _, presence_only, mandatory)) in THEMES.iter().enumerate() {
                let Some(p) = relevance(theme, area) else {
                    continue;
                };
                let key = key_a * 100 + ti as u64;
                let p_file = 1.0 - (1.0 - p).powf(a as f64);
                if unit(key, 2) >= p_file {
                    continue;
                }
                let share = 0.1 + 0.4 * unit(key, 3);
                let headcount = ((a as f64 * share).round() as u32).max(1);
                let u = unit(key, 4);
                let priority = if *mandatory {
                    if u < 0.5 {
                        Priority::Alta
                    } else if u < 0.85 {
                        Priority::Media
                    } else {
                        Priority::Bassa
                    }
                } else if u < 0.2 {
                    Priority::Alta
                } else if u < 0.65 {
                    Priority::Media
                } else {
                    Priority::Bassa
                };
                let m = unit(key, 5);
                let preferred_modality = if *presence_only || m < 0.4 {
                    PreferredModality::InPerson
                } else if m < 0.7 {
                    PreferredModality::Webinar
                } else {
                    PreferredModality::Any
                };
                // Some lines name their people; employee ids are per comune and area, so
                // the same person can appear under several themes.
                let employee_ids = if unit(key, 6) < 0.3 {
                    let k = (1 + (splitmix(key ^ 7) % 3) as u32).min(headcount);
                    let first = (splitmix(key ^ 8) % a as u64) as u32;
                    (0..k)
                        .map(|j| (cnum * 100 + ai as u64) as i64 * 1000 + ((first + j) % a) as i64)
                        .collect()
                } else {
                    Vec::new()
                };
                needs.push(NeedLine {
                    id: (cnum * 10_000 + ai as u64 * 100 + ti as u64) as i64,
                    comune_code: r.istat.clone(),
                    theme_code: theme.to_string(),
                    office_area: area.to_string(),
                    headcount,
                    priority,
                    preferred_modality,
                    employee_ids,
                });
            }
        }
    }
    needs
}

fn venue(r: &Row, id: i64, capital: bool) -> VenueOption {
    let cnum: u64 = r.istat.parse().unwrap_or(0);
    VenueOption {
        id,
        name: format!("{}, sala formazione", r.name),
        comune_code: r.istat.clone(),
        lat: r.lat,
        lon: r.lon,
        capacity: if capital {
            60
        } else {
            30 + (splitmix(cnum) % 31) as u32
        },
    }
}

fn province_input(rows: &[&Row], venues: Vec<VenueOption>, per_week_scaled: bool) -> PlanInput {
    let themes = themes();
    let needs = campaign(rows);
    let mut parameters = PlanParameters::defaults(2026, &themes);
    if per_week_scaled {
        // The training office of a big Province runs more editions a week.
        let people: u64 = needs.iter().map(|n| n.headcount as u64).sum();
        parameters.editions_per_week = ((people as f64 / 20.0 / 40.0).ceil() as u32).max(4);
    }
    PlanInput {
        comuni: rows
            .iter()
            .map(|r| ComunePoint {
                code: r.istat.clone(),
                name: r.name.clone(),
                lat: r.lat,
                lon: r.lon,
            })
            .collect(),
        venues,
        needs,
        themes,
        parameters,
        existing_bookings: Vec::new(),
    }
}

fn imperia(rows: &[Row]) -> PlanInput {
    let im: Vec<&Row> = rows.iter().filter(|r| r.sigla == "IM").collect();
    let names = [
        "Imperia",
        "Sanremo",
        "Ventimiglia",
        "Taggia",
        "Bordighera",
        "Diano Marina",
        "Pieve di Teco",
    ];
    let venues = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let r = im.iter().find(|r| r.name == *n).expect(n);
            venue(r, i as i64 + 1, r.capital)
        })
        .collect();
    province_input(&im, venues, false)
}

fn italy(rows: &[Row]) -> Vec<(String, PlanInput)> {
    let mut by: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by.entry(r.sigla.as_str()).or_default().push(r);
    }
    let mut out = Vec::new();
    for (pi, (sigla, comuni)) in by.into_iter().enumerate() {
        let mut chosen: Vec<&Row> = comuni.iter().copied().filter(|r| r.capital).collect();
        let mut by_pop = comuni.clone();
        by_pop.sort_by(|a, b| b.population.cmp(&a.population).then(a.istat.cmp(&b.istat)));
        for r in &by_pop {
            if chosen.len() >= 6 {
                break;
            }
            if !chosen.iter().any(|c| c.istat == r.istat) {
                chosen.push(r);
            }
        }
        for _ in 0..2 {
            let best = comuni
                .iter()
                .filter(|r| !chosen.iter().any(|c| c.istat == r.istat))
                .max_by(|a, b| {
                    let score = |r: &Row| {
                        let d = chosen
                            .iter()
                            .map(|c| planner::haversine_km(r.lat, r.lon, c.lat, c.lon))
                            .fold(f64::INFINITY, f64::min);
                        (r.population as f64).sqrt() * d
                    };
                    score(a).total_cmp(&score(b)).then(b.istat.cmp(&a.istat))
                });
            if let Some(b) = best {
                chosen.push(b);
            }
        }
        // A big capital has several training rooms (one per 250,000 inhabitants).
        let mut venues = Vec::new();
        for r in &chosen {
            let rooms = if r.capital {
                r.population.div_ceil(250_000).max(1)
            } else {
                1
            };
            for k in 0..rooms {
                let mut v = venue(r, (pi * 100 + venues.len() + 1) as i64, r.capital);
                if rooms > 1 {
                    v.name = format!("{}, sala formazione {}", r.name, k + 1);
                }
                venues.push(v);
            }
        }
        out.push((sigla.to_string(), province_input(&comuni, venues, true)));
    }
    out
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|v| v.parse().unwrap_or(0)))
        })
        .unwrap_or(0)
}

fn eur(c: i64) -> String {
    format!("{:.0}", c as f64 / 100.0)
}

fn summary(p: &Plan) -> String {
    let f = &p.figures;
    format!(
        "lines {}/{} served ({} partial), people {}/{}, editions {} in person + {} webinar, cost {} €, standalone {} €, saving {} €, bound {} €, gap {:.3} %",
        f.coverage.lines_served,
        f.coverage.lines_total,
        f.coverage.lines_partial,
        f.coverage.people_served,
        f.coverage.people_requested,
        f.editions_in_person,
        f.editions_webinar,
        eur(f.cost.total_cents),
        eur(f.standalone_cents),
        eur(f.saving_cents),
        eur(f.lower_bound_cents),
        f.gap * 100.0
    )
}

fn plan_all(inputs: &[(String, PlanInput)], threads: usize) -> Vec<(Plan, f64)> {
    // Largest Provinces first, for balance; results land in input order.
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(inputs[*i].1.needs.len()));
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<(Plan, f64)>> = (0..inputs.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::SeqCst);
                        if k >= order.len() {
                            break;
                        }
                        let i = order[k];
                        let t = Instant::now();
                        let p = planner::plan(&inputs[i].1).expect("valid input");
                        mine.push((i, p, t.elapsed().as_secs_f64()));
                    }
                    mine
                })
            })
            .collect();
        for h in handles {
            for (i, p, t) in h.join().expect("worker") {
                results[i] = Some((p, t));
            }
        }
    });
    results.into_iter().map(|r| r.expect("planned")).collect()
}

fn detail(plan: &Plan) {
    let mut reasons: BTreeMap<String, u32> = BTreeMap::new();
    for u in &plan.unserved {
        *reasons.entry(format!("{:?}", u.reason)).or_default() += u.headcount;
    }
    println!("unserved people by reason: {reasons:?}");
    let f = &plan.figures;
    println!(
        "cost: editions {} €, participants {} €, travel {} €, time {} €, webinars {} €; person-km {:.0}, travel hours {:.0}",
        eur(f.cost.editions_cents),
        eur(f.cost.participants_cents),
        eur(f.cost.travel_cents),
        eur(f.cost.time_value_cents),
        eur(f.cost.webinars_cents),
        f.person_km,
        f.travel_hours
    );
    println!(
        "{:<32} {:>6} {:>5} {:>4} {:>9} {:>9} {:>7} {:>9}",
        "theme", "people", "served", "ed", "cost €", "bound €", "gap %", "status"
    );
    for t in &f.per_theme {
        println!(
            "{:<32} {:>6} {:>5} {:>4} {:>9} {:>9} {:>7.3} {:>9?}",
            t.theme_code,
            t.coverage.people_requested,
            t.coverage.people_served,
            t.editions_in_person + t.editions_webinar,
            eur(t.cost.total_cents),
            eur(t.lower_bound_cents),
            t.gap * 100.0,
            t.bound_status
        );
    }
    if let Some(e) = plan.editions.iter().find(|e| e.venue_id.is_some()) {
        println!("e.g. {} on {:?}: {}", e.key, e.dates, e.reason);
    }
    if let Some(e) = plan.editions.iter().find(|e| e.venue_id.is_none()) {
        println!("e.g. {} on {:?}: {}", e.key, e.dates, e.reason);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with("--") && a.ends_with(".csv"))
        .cloned()
        .unwrap_or_else(|| "backend/seed/comuni-italia.csv".to_string());
    let threads: usize = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let twice = args.iter().any(|a| a == "--twice");
    let imperia_only = args.iter().any(|a| a == "--imperia-only");
    let json_out = args
        .iter()
        .position(|a| a == "--json-out")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let rows = read_csv(&path);

    // Imperia.
    let input = imperia(&rows);
    let t = Instant::now();
    let plan = planner::plan(&input).expect("valid input");
    let dt = t.elapsed().as_secs_f64();
    let json = serde_json::to_string(&plan).expect("json");
    let again = serde_json::to_string(&planner::plan(&input).expect("valid")).expect("json");
    println!(
        "== Imperia: 66 comuni, {} need lines, {} venues",
        input.needs.len(),
        input.venues.len()
    );
    println!("planned in {:.3} s; {}", dt, summary(&plan));
    println!(
        "deterministic (planned twice, same JSON): {}  [{} bytes, fnv {:016x}]",
        json == again,
        json.len(),
        fnv(json.as_bytes())
    );
    detail(&plan);
    if let Some(path) = &json_out {
        std::fs::write(path, serde_json::to_string_pretty(&plan).expect("json")).expect("write");
    }
    if imperia_only {
        println!("peak memory (VmHWM): {} MiB", vm_hwm_kb() / 1024);
        return;
    }

    // Italy.
    let t = Instant::now();
    let mut inputs = italy(&rows);
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let keep: Vec<String> = args
            .get(i + 1)
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        inputs.retain(|(s, _)| keep.contains(s));
    }
    let gen_secs = t.elapsed().as_secs_f64();
    let lines: usize = inputs.iter().map(|(_, i)| i.needs.len()).sum();
    let people: u64 = inputs
        .iter()
        .flat_map(|(_, i)| i.needs.iter())
        .map(|n| n.headcount as u64)
        .sum();
    let t = Instant::now();
    let plans = plan_all(&inputs, threads);
    let dt = t.elapsed().as_secs_f64();
    println!(
        "\n== Italy: {} Provinces, {} comuni, {} need lines, {} people (campaign generated in {:.2} s)",
        inputs.len(),
        inputs.iter().map(|(_, i)| i.comuni.len()).sum::<usize>(),
        lines,
        people,
        gen_secs
    );
    let mut worst = (0.0f64, String::new());
    let (mut cost, mut bound, mut sa, mut served, mut eds) = (0i64, 0i64, 0i64, 0u64, 0u32);
    let mut cells = Vec::new();
    let mut hash_all = 0u64;
    for ((sigla, _), (p, secs)) in inputs.iter().zip(&plans) {
        let f = &p.figures;
        cost += f.cost.total_cents;
        bound += f.lower_bound_cents;
        sa += f.standalone_cents;
        served += f.coverage.people_served;
        eds += f.editions_in_person + f.editions_webinar;
        if f.gap > worst.0 {
            worst = (f.gap, sigla.clone());
        }
        hash_all =
            hash_all.rotate_left(5) ^ fnv(serde_json::to_string(p).expect("json").as_bytes());
        cells.push(format!(
            "{sigla:<2} {:>5.2}% {:>5.2}s {:>5.1}%",
            f.gap * 100.0,
            secs,
            f.coverage.people_served as f64 * 100.0 / f.coverage.people_requested.max(1) as f64
        ));
    }
    println!("per Province: gap, planning time, people served");
    for chunk in cells.chunks(5) {
        println!("  {}", chunk.join(" | "));
    }
    println!(
        "Italy planned in {:.2} s on {} threads; {} editions; people served {}/{}; cost {} €, standalone {} €, saving {} €, bound {} €, overall gap {:.3} %, worst gap {:.3} % ({})",
        dt,
        threads,
        eds,
        served,
        people,
        eur(cost),
        eur(sa),
        eur(sa - cost),
        eur(bound),
        if cost > 0 {
            (cost - bound) as f64 / cost as f64 * 100.0
        } else {
            0.0
        },
        worst.0 * 100.0,
        worst.1
    );
    let negative: usize = plans
        .iter()
        .flat_map(|(p, _)| p.figures.per_theme.iter())
        .filter(|t| t.standalone_cents < t.cost.total_cents)
        .count();
    println!("Province × theme pairs costing more than standalone: {negative}");
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    for (p, _) in &plans {
        for u in &p.unserved {
            *reasons.entry(format!("{:?}", u.reason)).or_default() += u.headcount as u64;
        }
    }
    println!("unserved people by reason: {reasons:?}");
    println!("plans hash {hash_all:016x}");
    if let Some(i) = args.iter().position(|a| a == "--province") {
        let want = args.get(i + 1).cloned().unwrap_or_default();
        for ((sigla, input), (p, secs)) in inputs.iter().zip(&plans) {
            if *sigla == want {
                println!(
                    "\n== {sigla}: {} comuni, {} lines, {} venues, {secs:.2} s; {}",
                    input.comuni.len(),
                    input.needs.len(),
                    input.venues.len(),
                    summary(p)
                );
                detail(p);
                if let Some(path) = &json_out {
                    std::fs::write(
                        format!("{path}.{sigla}.json"),
                        serde_json::to_string_pretty(p).expect("json"),
                    )
                    .expect("write");
                }
            }
        }
    }
    if twice {
        let t = Instant::now();
        let again = plan_all(&inputs, 1);
        let mut h2 = 0u64;
        for (p, _) in &again {
            h2 = h2.rotate_left(5) ^ fnv(serde_json::to_string(p).expect("json").as_bytes());
        }
        println!(
            "re-planned on 1 thread in {:.2} s: identical JSON = {}",
            t.elapsed().as_secs_f64(),
            h2 == hash_all
        );
    }
    println!("peak memory (VmHWM): {} MiB", vm_hwm_kb() / 1024);
}
