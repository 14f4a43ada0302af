/// A dense square matrix stored row-major, symmetric by construction of its users.
public struct SymmetricMatrix: Sendable, Hashable {
    public let n: Int
    public var values: [Double]

    public init(n: Int, values: [Double]) {
        precondition(values.count == n * n)
        self.n = n
        self.values = values
    }

    public init(rows: [[Double]]) {
        self.init(n: rows.count, values: rows.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> SymmetricMatrix {
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        return SymmetricMatrix(n: n, values: v)
    }

    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { values[i * n + j] }
        set { values[i * n + j] = newValue }
    }
}
