//! A small safe wrapper over the HiGHS C API (`highs-sys`): pass a MIP, optionally a
//! starting solution, solve single-threaded with deterministic limits, read the primal
//! solution and HiGHS' own proven dual bound (`mip_dual_bound`).
//!
//! The `highs` crate's safe wrapper does not expose `mip_dual_bound`, the node limit nor
//! the MIP start, so this module talks to the C API directly; all `unsafe` of the crate
//! is here.

use std::ffi::CString;
use std::os::raw::c_void;

use highs_sys as hs;

/// One constraint `lower ≤ Σ coef·x ≤ upper`.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub lower: f64,
    pub upper: f64,
    pub entries: Vec<(usize, f64)>,
}

/// A minimisation MIP in row form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mip {
    pub cost: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub integer: Vec<bool>,
    pub rows: Vec<Row>,
}

impl Mip {
    /// Adds a column and returns its index.
    pub fn col(&mut self, cost: f64, lower: f64, upper: f64, integer: bool) -> usize {
        self.cost.push(cost);
        self.lower.push(lower);
        self.upper.push(upper);
        self.integer.push(integer);
        self.cost.len() - 1
    }

    pub fn row(&mut self, lower: f64, upper: f64, entries: Vec<(usize, f64)>) {
        self.rows.push(Row {
            lower,
            upper,
            entries,
        });
    }

    /// Objective value of a solution.
    pub fn objective(&self, x: &[f64]) -> f64 {
        self.cost.iter().zip(x).map(|(c, v)| c * v).sum()
    }

    /// Whether `x` satisfies bounds and rows within `tol`.
    pub fn is_feasible(&self, x: &[f64], tol: f64) -> bool {
        if x.len() != self.cost.len() {
            return false;
        }
        for (i, v) in x.iter().enumerate() {
            if *v < self.lower[i] - tol || *v > self.upper[i] + tol {
                return false;
            }
            if self.integer[i] && (v - v.round()).abs() > tol {
                return false;
            }
        }
        self.rows.iter().all(|r| {
            let a: f64 = r.entries.iter().map(|(j, c)| c * x[*j]).sum();
            a >= r.lower - tol && a <= r.upper + tol
        })
    }
}

/// Deterministic solver settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SolveOptions {
    pub rel_gap: f64,
    pub max_nodes: i64,
    pub seed: i32,
}

/// How the solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Optimal within the gap target.
    Optimal,
    /// A limit stopped the search; the solution is feasible, the bound valid.
    Limit,
    /// No feasible solution (should not happen with the planner's models).
    Infeasible,
    /// HiGHS reported an error.
    Error,
}

#[derive(Debug, Clone)]
pub(crate) struct Solution {
    pub status: Status,
    pub x: Vec<f64>,
    pub objective: f64,
    /// Proven lower bound on the optimum (minimisation).
    pub dual_bound: f64,
}

struct Handle(*mut c_void);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the pointer came from Highs_create and is destroyed once.
        unsafe { hs::Highs_destroy(self.0) }
    }
}

fn cstr(s: &str) -> CString {
    CString::new(s).expect("option names have no NUL")
}

fn usable(s: &Solution) -> bool {
    matches!(s.status, Status::Optimal | Status::Limit)
}

/// Solves `mip` (minimisation). `start`, when given and feasible, is passed to HiGHS as
/// the first incumbent, so the answer is never worse than it. The returned solution is
/// checked against the model: should HiGHS hand back values that do not match its own
/// objective, the model is solved again without the start and the better of the two
/// feasible answers is kept.
pub(crate) fn solve(mip: &Mip, start: Option<&[f64]>, opts: SolveOptions) -> Solution {
    let s = run_once(mip, start, opts);
    if !usable(&s) {
        return s;
    }
    let obj_x = mip.objective(&s.x);
    let consistent =
        (obj_x - s.objective).abs() <= 1e-6 * obj_x.abs().max(1.0) && mip.is_feasible(&s.x, 1e-5);
    if consistent || start.is_none() {
        return s;
    }
    let t = run_once(mip, None, opts);
    if usable(&t) && mip.is_feasible(&t.x, 1e-5) && mip.objective(&t.x) <= obj_x {
        let objective = mip.objective(&t.x);
        return Solution { objective, ..t };
    }
    // Both bounds are valid: keep the stronger one.
    let dual_bound = if usable(&t) {
        s.dual_bound.max(t.dual_bound)
    } else {
        s.dual_bound
    };
    Solution {
        objective: obj_x,
        dual_bound,
        ..s
    }
}

fn run_once(mip: &Mip, start: Option<&[f64]>, opts: SolveOptions) -> Solution {
    let n = mip.cost.len();
    if n == 0 {
        return Solution {
            status: Status::Optimal,
            x: Vec::new(),
            objective: 0.0,
            dual_bound: 0.0,
        };
    }
    // Row-wise to column-wise (CSC).
    let mut counts = vec![0usize; n];
    for r in &mip.rows {
        for (j, _) in &r.entries {
            counts[*j] += 1;
        }
    }
    let mut a_start: Vec<hs::HighsInt> = Vec::with_capacity(n);
    let mut acc = 0usize;
    for c in &counts {
        a_start.push(acc as hs::HighsInt);
        acc += c;
    }
    let nnz = acc;
    let mut next: Vec<usize> = a_start.iter().map(|s| *s as usize).collect();
    let mut a_index = vec![0 as hs::HighsInt; nnz];
    let mut a_value = vec![0f64; nnz];
    for (i, r) in mip.rows.iter().enumerate() {
        for (j, v) in &r.entries {
            let p = next[*j];
            a_index[p] = i as hs::HighsInt;
            a_value[p] = *v;
            next[*j] += 1;
        }
    }
    let row_lower: Vec<f64> = mip.rows.iter().map(|r| r.lower).collect();
    let row_upper: Vec<f64> = mip.rows.iter().map(|r| r.upper).collect();
    let integrality: Vec<hs::HighsInt> = mip
        .integer
        .iter()
        .map(|i| {
            if *i {
                hs::VAR_TYPE_INTEGER
            } else {
                hs::VAR_TYPE_CONTINUOUS
            }
        })
        .collect();
    let num_row = mip.rows.len();

    // SAFETY: every pointer below points into a live Vec of the length HiGHS expects
    // (num_col, num_row or num_nz); option names are NUL-terminated CStrings.
    unsafe {
        let h = Handle(hs::Highs_create());
        let set_bool = |k: &str, v: bool| {
            hs::Highs_setBoolOptionValue(h.0, cstr(k).as_ptr(), v as hs::HighsInt);
        };
        let set_int = |k: &str, v: hs::HighsInt| {
            hs::Highs_setIntOptionValue(h.0, cstr(k).as_ptr(), v);
        };
        let set_f64 = |k: &str, v: f64| {
            hs::Highs_setDoubleOptionValue(h.0, cstr(k).as_ptr(), v);
        };
        let set_str = |k: &str, v: &str| {
            hs::Highs_setStringOptionValue(h.0, cstr(k).as_ptr(), cstr(v).as_ptr());
        };
        set_bool("output_flag", false);
        set_int("threads", 1);
        set_str("parallel", "off");
        set_int("random_seed", opts.seed);
        set_f64("mip_rel_gap", opts.rel_gap);
        set_int(
            "mip_max_nodes",
            opts.max_nodes.min(i32::MAX as i64) as hs::HighsInt,
        );
        // Small models: presolve, feasibility jump, RINS/RENS and symmetry detection cost
        // more than they save (measured on the Italy benchmark), and presolve combined
        // with a MIP start may hand back the start instead of the optimum.
        set_str("presolve", "off");
        set_bool("mip_heuristic_run_feasibility_jump", false);
        set_bool("mip_heuristic_run_rins", false);
        set_bool("mip_heuristic_run_rens", false);
        set_bool("mip_detect_symmetry", false);

        let status = hs::Highs_passMip(
            h.0,
            n as hs::HighsInt,
            num_row as hs::HighsInt,
            nnz as hs::HighsInt,
            hs::MATRIX_FORMAT_COLUMN_WISE,
            hs::OBJECTIVE_SENSE_MINIMIZE,
            0.0,
            mip.cost.as_ptr(),
            mip.lower.as_ptr(),
            mip.upper.as_ptr(),
            row_lower.as_ptr(),
            row_upper.as_ptr(),
            a_start.as_ptr(),
            a_index.as_ptr(),
            a_value.as_ptr(),
            integrality.as_ptr(),
        );
        if status == hs::STATUS_ERROR {
            return failed(n);
        }
        if let Some(s) = start
            && s.len() == n
        {
            hs::Highs_setSolution(
                h.0,
                s.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
            );
        }
        if hs::Highs_run(h.0) == hs::STATUS_ERROR {
            return failed(n);
        }
        let model_status = hs::Highs_getModelStatus(h.0);
        let mut primal_status: hs::HighsInt = 0;
        hs::Highs_getIntInfoValue(
            h.0,
            cstr("primal_solution_status").as_ptr(),
            &mut primal_status,
        );
        let status = match model_status {
            hs::MODEL_STATUS_OPTIMAL => Status::Optimal,
            hs::MODEL_STATUS_INFEASIBLE => Status::Infeasible,
            _ if primal_status == hs::SOLUTION_STATUS_FEASIBLE => Status::Limit,
            _ => Status::Error,
        };
        if matches!(status, Status::Infeasible | Status::Error) {
            return Solution {
                status,
                x: vec![0.0; n],
                objective: f64::INFINITY,
                dual_bound: f64::NEG_INFINITY,
            };
        }
        let mut x = vec![0f64; n];
        let mut col_dual = vec![0f64; n];
        let mut row_value = vec![0f64; num_row];
        let mut row_dual = vec![0f64; num_row];
        hs::Highs_getSolution(
            h.0,
            x.as_mut_ptr(),
            col_dual.as_mut_ptr(),
            row_value.as_mut_ptr(),
            row_dual.as_mut_ptr(),
        );
        let objective = hs::Highs_getObjectiveValue(h.0);
        let mut dual_bound = f64::NEG_INFINITY;
        hs::Highs_getDoubleInfoValue(h.0, cstr("mip_dual_bound").as_ptr(), &mut dual_bound);
        if !dual_bound.is_finite() {
            dual_bound = f64::NEG_INFINITY;
        }
        Solution {
            status,
            x,
            objective,
            dual_bound,
        }
    }
}

fn failed(n: usize) -> Solution {
    Solution {
        status: Status::Error,
        x: vec![0.0; n],
        objective: f64::INFINITY,
        dual_bound: f64::NEG_INFINITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_knapsack_like_mip() {
        // min 3a + 2b, a + b ≥ 3.5, a,b integer in [0, 10] → a=0,b=4 → 8
        let mut m = Mip::default();
        let a = m.col(3.0, 0.0, 10.0, true);
        let b = m.col(2.0, 0.0, 10.0, true);
        m.row(3.5, f64::INFINITY, vec![(a, 1.0), (b, 1.0)]);
        let s = solve(
            &m,
            None,
            SolveOptions {
                rel_gap: 0.0,
                max_nodes: 1000,
                seed: 0,
            },
        );
        assert_eq!(s.status, Status::Optimal);
        assert!((s.objective - 8.0).abs() < 1e-6);
        assert!(s.dual_bound <= 8.0 + 1e-6 && s.dual_bound > 7.9);
        assert!(m.is_feasible(&s.x, 1e-6));
    }
}
