import CBLAS
import Dispatch

/// The inner loops. Rows are padded with zeros to a stride of whole 64-byte blocks (16 float32 or 32 float16).
///
/// float32: a SIMD16 loop (two accumulators). On the measuring machine it ran 1.8× faster than
/// `cblas_sgemv` (OpenBLAS 0.3.21) for one query; batches use `cblas_sgemm`. See docs/performance.md.
///
/// float16: a 64-byte block holds 32 halves read as 16 UInt32 lanes; the even halves (low 16 bits) and the odd
/// halves (high 16 bits) are widened with shifts and masks: `(h & 0x7fff) << 13 | sign << 16` is the float32
/// bit pattern of `h × 2⁻¹¹²` for every finite half (subnormals included), so the query is stored permuted
/// (per block: 16 even then 16 odd elements) and scaled by 2¹¹², which makes the products exact-rounded as in float32.
enum Kernels {
    /// 2¹¹²: the float16 → float32 exponent rebias.
    static let halfScale = Float(sign: .plus, exponent: 112, significand: 1)

    /// Elements per row after padding to whole 64-byte blocks.
    static func stride(dimension: Int, elementType: VectorElementType) -> Int {
        let block = elementType == .float32 ? 16 : 32
        return (dimension + block - 1) / block * block
    }

    @inline(__always)
    static func dotF32(_ row: UnsafeRawPointer, _ query: UnsafeRawPointer, byteCount: Int) -> Float {
        var a0 = SIMD16<Float>()
        var a1 = SIMD16<Float>()
        var j = 0
        while j + 128 <= byteCount {
            a0 += row.loadUnaligned(fromByteOffset: j, as: SIMD16<Float>.self)
                * query.loadUnaligned(fromByteOffset: j, as: SIMD16<Float>.self)
            a1 += row.loadUnaligned(fromByteOffset: j + 64, as: SIMD16<Float>.self)
                * query.loadUnaligned(fromByteOffset: j + 64, as: SIMD16<Float>.self)
            j += 128
        }
        if j < byteCount {
            a0 += row.loadUnaligned(fromByteOffset: j, as: SIMD16<Float>.self)
                * query.loadUnaligned(fromByteOffset: j, as: SIMD16<Float>.self)
        }
        return (a0 + a1).sum()
    }

    /// `row` holds halves; `query` is the permuted query scaled by 2¹¹² (see `prepareQuery`).
    @inline(__always)
    static func dotF16(_ row: UnsafeRawPointer, _ query: UnsafeRawPointer, byteCount: Int) -> Float {
        var a0 = SIMD16<Float>()
        var a1 = SIMD16<Float>()
        var j = 0
        var qj = 0
        while j < byteCount {
            let x = row.loadUnaligned(fromByteOffset: j, as: SIMD16<UInt32>.self)
            let even = ((x &<< 13) & 0x0FFF_E000) | ((x &<< 16) & 0x8000_0000)
            let odd = ((x &>> 3) & 0x0FFF_E000) | (x & 0x8000_0000)
            a0 += unsafeBitCast(even, to: SIMD16<Float>.self)
                * query.loadUnaligned(fromByteOffset: qj, as: SIMD16<Float>.self)
            a1 += unsafeBitCast(odd, to: SIMD16<Float>.self)
                * query.loadUnaligned(fromByteOffset: qj + 64, as: SIMD16<Float>.self)
            j += 64
            qj += 128
        }
        return (a0 + a1).sum()
    }

    /// Decodes `rows` float16 rows into float32 in the permuted element order (for sgemm with permuted queries).
    static func decodeF16Permuted(_ src: UnsafeRawPointer, rows: Int, stride: Int, into dst: UnsafeMutablePointer<Float>) {
        let total = rows * stride  // halves; multiple of 32
        let scale = SIMD16<Float>(repeating: halfScale)
        let out = UnsafeMutableRawPointer(dst)
        var h = 0
        while h < total {
            let x = src.loadUnaligned(fromByteOffset: h * 2, as: SIMD16<UInt32>.self)
            let even = ((x &<< 13) & 0x0FFF_E000) | ((x &<< 16) & 0x8000_0000)
            let odd = ((x &>> 3) & 0x0FFF_E000) | (x & 0x8000_0000)
            out.storeBytes(of: unsafeBitCast(even, to: SIMD16<Float>.self) * scale, toByteOffset: h * 4, as: SIMD16<Float>.self)
            out.storeBytes(of: unsafeBitCast(odd, to: SIMD16<Float>.self) * scale, toByteOffset: h * 4 + 64, as: SIMD16<Float>.self)
            h += 32
        }
    }

    /// Writes `vector` padded to `stride` into `dst`: float32 as is; float16 for the single-query kernel
    /// (permuted, scaled by 2¹¹²) or for sgemm (permuted, unscaled).
    static func prepareQuery(_ vector: UnsafeBufferPointer<Float>, elementType: VectorElementType, stride: Int,
                             scaledForKernel: Bool, into dst: UnsafeMutablePointer<Float>) {
        dst.initialize(repeating: 0, count: stride)
        switch elementType {
        case .float32:
            for i in 0..<vector.count { dst[i] = vector[i] }
        case .float16:
            let scale: Float = scaledForKernel ? halfScale : 1
            for i in 0..<vector.count {
                let block = i / 32 * 32
                let lane = i - block
                let position = block + (lane % 2 == 0 ? lane / 2 : 16 + lane / 2)
                dst[position] = vector[i] * scale
            }
        }
    }

    /// Stores one vector as a padded row (float16 rounds to nearest even).
    static func encodeRow(_ vector: UnsafeBufferPointer<Float>, elementType: VectorElementType, stride: Int,
                          into dst: UnsafeMutableRawPointer) {
        switch elementType {
        case .float32:
            let out = dst.bindMemory(to: Float.self, capacity: stride)
            out.initialize(repeating: 0, count: stride)
            for i in 0..<vector.count { out[i] = vector[i] }
        case .float16:
            let out = dst.bindMemory(to: Float16.self, capacity: stride)
            out.initialize(repeating: 0, count: stride)
            for i in 0..<vector.count { out[i] = Float16(vector[i]) }
        }
    }

    /// The stored row as float32 in natural order.
    static func decodeRow(_ src: UnsafeRawPointer, dimension: Int, elementType: VectorElementType) -> [Float] {
        switch elementType {
        case .float32:
            return Array(UnsafeBufferPointer(start: src.assumingMemoryBound(to: Float.self), count: dimension))
        case .float16:
            let halves = src.assumingMemoryBound(to: Float16.self)
            return (0..<dimension).map { Float(halves[$0]) }
        }
    }

    /// Squared norm of a stored row (as stored, i.e. after float16 rounding).
    static func squaredNorm(_ src: UnsafeRawPointer, stride: Int, elementType: VectorElementType,
                            scratch: UnsafeMutablePointer<Float>) -> Float {
        switch elementType {
        case .float32:
            return dotF32(src, src, byteCount: stride * 4)
        case .float16:
            decodeF16Permuted(src, rows: 1, stride: stride, into: scratch)
            let raw = UnsafeRawPointer(scratch)
            return dotF32(raw, raw, byteCount: stride * 4)
        }
    }

    /// C[m × n] = A[m × k] · B[n × k]ᵀ (row-major, leading dimensions k, k, n).
    static func gemmABt(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }
}

/// OpenBLAS threading. VectorStore parallelises a search itself (row blocks across threads, each with its own
/// heaps), so it runs OpenBLAS single-threaded; concurrent searches then never oversubscribe the cores.
public enum BLASThreads {
    private static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// Makes OpenBLAS single-threaded (once per process). Called before every BLAS use in VectorStore.
    static func ensureSingleThreaded() { _ = configured }

    /// OpenBLAS's detected core (`Cooperlake`, `Haswell`, `Prescott`, …); `OPENBLAS_CORETYPE` overrides it.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS build configuration string.
    public static var config: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }
}

/// Slots written by parallel iterations, each iteration its own index only.
/// `@unchecked Sendable`: the buffer is written at disjoint indices by `concurrentPerform` iterations and read
/// only after `concurrentPerform` returns (which is a happens-before edge).
final class ParallelSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutablePointer<T?>
    let count: Int

    init(count: Int) {
        self.count = count
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil, count: count)
    }

    deinit {
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    func set(_ index: Int, _ value: T) { buffer[index] = value }
    func values() -> [T] { (0..<count).compactMap { buffer[$0] } }
}

/// Runs `body(i)` for `i in 0..<count`, in parallel when `count > 1`.
func parallelMap<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    if count <= 1 { return count == 1 ? [body(0)] : [] }
    let slots = ParallelSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        slots.set(i, body(i))
    }
    return slots.values()
}
