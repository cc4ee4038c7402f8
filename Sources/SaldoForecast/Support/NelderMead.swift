import Foundation

/// Derivative-free minimiser used by every model. The objective returns `.infinity` outside its
/// bounds. Buffers are allocated once per call; the loop itself does not allocate (the simplex is
/// one flat buffer and points are copied into it element by element).
struct NelderMead {
    var maxEvaluations: Int = 400
    var tolerance: Double = 1e-7

    /// Minimises `f` from `start`, with initial steps `step` per coordinate.
    func minimize(start: [Double], step: [Double], _ f: ([Double]) -> Double) -> (x: [Double], value: Double) {
        let d = start.count
        if d == 0 { return (start, f(start)) }
        // Row i of the simplex is simplex[i * d ..< (i + 1) * d].
        var simplex = [Double](repeating: 0, count: (d + 1) * d)
        for i in 0...d { for j in 0..<d { simplex[i * d + j] = start[j] } }
        for i in 0..<d { simplex[(i + 1) * d + i] += step[i] }
        var values = [Double](repeating: 0, count: d + 1)
        var point = [Double](repeating: 0, count: d)
        var evals = 0
        func evaluate(row i: Int) -> Double {
            for j in 0..<d { point[j] = simplex[i * d + j] }
            return f(point)
        }
        for i in 0...d { values[i] = evaluate(row: i); evals += 1 }
        var centroid = [Double](repeating: 0, count: d)
        var trial = [Double](repeating: 0, count: d)
        var trial2 = [Double](repeating: 0, count: d)
        var order = Array(0...d)
        while evals < maxEvaluations {
            // Insertion sort of d + 1 indices by value (stable, as the previous sort was for ties
            // in practice; d is at most 7).
            for a in 1...d {
                let key = order[a]
                var b = a - 1
                while b >= 0 && values[order[b]] > values[key] { order[b + 1] = order[b]; b -= 1 }
                order[b + 1] = key
            }
            let best = order[0], worst = order[d], second = order[d - 1]
            let fb = values[best], fw = values[worst]
            if abs(fw - fb) <= tolerance * (abs(fb) + tolerance) { break }
            for j in 0..<d { centroid[j] = 0 }
            for i in 0...d where i != worst {
                for j in 0..<d { centroid[j] += simplex[i * d + j] }
            }
            for j in 0..<d { centroid[j] /= Double(d) }
            let w0 = worst * d
            for j in 0..<d { trial[j] = centroid[j] + (centroid[j] - simplex[w0 + j]) }
            let fr = f(trial); evals += 1
            if fr < fb {
                for j in 0..<d { trial2[j] = centroid[j] + 2 * (centroid[j] - simplex[w0 + j]) }
                let fe = f(trial2); evals += 1
                if fe < fr {
                    for j in 0..<d { simplex[w0 + j] = trial2[j] }
                    values[worst] = fe
                } else {
                    for j in 0..<d { simplex[w0 + j] = trial[j] }
                    values[worst] = fr
                }
            } else if fr < values[second] {
                for j in 0..<d { simplex[w0 + j] = trial[j] }
                values[worst] = fr
            } else {
                let outside = fr < fw
                for j in 0..<d {
                    trial2[j] = outside ? centroid[j] + 0.5 * (trial[j] - centroid[j])
                                        : centroid[j] + 0.5 * (simplex[w0 + j] - centroid[j])
                }
                let fc = f(trial2); evals += 1
                if fc < min(fr, fw) {
                    for j in 0..<d { simplex[w0 + j] = trial2[j] }
                    values[worst] = fc
                } else {
                    let b0 = best * d
                    for i in 0...d where i != best {
                        for j in 0..<d { simplex[i * d + j] = simplex[b0 + j] + 0.5 * (simplex[i * d + j] - simplex[b0 + j]) }
                        values[i] = evaluate(row: i); evals += 1
                    }
                }
            }
        }
        var bi = 0
        for i in 1...d where values[i] < values[bi] { bi = i }
        return (Array(simplex[(bi * d)..<((bi + 1) * d)]), values[bi])
    }
}
