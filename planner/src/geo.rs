//! Distances: great-circle (haversine) km times a detour factor.

/// Mean Earth radius, km (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Straight-line (great-circle) distance in km between two WGS84 points.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// Road distance estimate: haversine × `detour_factor`, and 0 within the same comune.
pub fn road_km(
    same_comune: bool,
    lat1: f64,
    lon1: f64,
    lat2: f64,
    lon2: f64,
    detour_factor: f64,
) -> f64 {
    if same_comune {
        0.0
    } else {
        haversine_km(lat1, lon1, lat2, lon2) * detour_factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imperia_sanremo_is_about_22_km_straight() {
        // Imperia (43.8865, 8.02965) – Sanremo (43.8175, 7.7750)
        let d = haversine_km(43.8865, 8.02965, 43.8175, 7.7750);
        assert!((d - 21.8).abs() < 1.0, "{d}");
        assert_eq!(road_km(true, 0.0, 0.0, 1.0, 1.0, 1.5), 0.0);
        assert!((road_km(false, 43.8865, 8.02965, 43.8175, 7.7750, 1.5) - 1.5 * d).abs() < 1e-9);
    }
}
