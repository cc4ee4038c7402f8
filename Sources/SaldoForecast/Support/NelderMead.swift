import Foundation

/// Derivative-free minimiser used by every model. The objective returns `.infinity` outside its
/// bounds. Buffers are allocated once per call; the loop itself does not allocate.
struct NelderMead {
    var maxEvaluations: Int = 400
    var tolerance: Double = 1e-7

    /// Minimises `f` from `start`, with initial steps `step` per coordinate.
    func minimize(start: [Double], step: [Double], _ f: ([Double]) -> Double) -> (x: [Double], value: Double) {
        let d = start.count
        if d == 0 { return (start, f(start)) }
        var simplex = [[Double]](repeating: start, count: d + 1)
        var values = [Double](repeating: 0, count: d + 1)
        for i in 0..<d { simplex[i + 1][i] += step[i] }
        var evals = 0
        for i in 0...d { values[i] = f(simplex[i]); evals += 1 }
        var centroid = [Double](repeating: 0, count: d)
        var trial = [Double](repeating: 0, count: d)
        var trial2 = [Double](repeating: 0, count: d)
        var order = Array(0...d)
        while evals < maxEvaluations {
            order.sort { values[$0] < values[$1] }
            let best = order[0], worst = order[d], second = order[d - 1]
            let fb = values[best], fw = values[worst]
            if abs(fw - fb) <= tolerance * (abs(fb) + tolerance) { break }
            for j in 0..<d { centroid[j] = 0 }
            for i in 0...d where i != worst {
                for j in 0..<d { centroid[j] += simplex[i][j] }
            }
            for j in 0..<d { centroid[j] /= Double(d) }
            for j in 0..<d { trial[j] = centroid[j] + (centroid[j] - simplex[worst][j]) }
            let fr = f(trial); evals += 1
            if fr < fb {
                for j in 0..<d { trial2[j] = centroid[j] + 2 * (centroid[j] - simplex[worst][j]) }
                let fe = f(trial2); evals += 1
                if fe < fr { simplex[worst] = trial2; values[worst] = fe } else { simplex[worst] = trial; values[worst] = fr }
            } else if fr < values[second] {
                simplex[worst] = trial; values[worst] = fr
            } else {
                let outside = fr < fw
                for j in 0..<d {
                    trial2[j] = outside ? centroid[j] + 0.5 * (trial[j] - centroid[j])
                                        : centroid[j] + 0.5 * (simplex[worst][j] - centroid[j])
                }
                let fc = f(trial2); evals += 1
                if fc < min(fr, fw) {
                    simplex[worst] = trial2; values[worst] = fc
                } else {
                    for i in 0...d where i != best {
                        for j in 0..<d { simplex[i][j] = simplex[best][j] + 0.5 * (simplex[i][j] - simplex[best][j]) }
                        values[i] = f(simplex[i]); evals += 1
                    }
                }
            }
        }
        var bi = 0
        for i in 1...d where values[i] < values[bi] { bi = i }
        return (simplex[bi], values[bi])
    }
}
