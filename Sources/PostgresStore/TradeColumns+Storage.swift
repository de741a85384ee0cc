import Analytics
import Foundation
import NIOCore
import PipsightCore

/// The stored form of `TradeColumns` (`trade_columns.data`): a small header, then each column as a packed
/// little-endian array, then the symbols and the deals. `version` changes whenever the layout does; a
/// backtest whose columns have another version is computed from its rows instead.
extension TradeColumns {
    static let storageVersion: Int32 = 1
    private static let magic: UInt32 = 0x5053_5443  // "PSTC"

    /// The bytes to store.
    func encoded() -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 64 + count * 50 + deals.count * 24)
        buffer.writeInteger(Self.magic, endianness: .little)
        buffer.writeInteger(Self.storageVersion, endianness: .little)
        buffer.writeInteger(Int64(count), endianness: .little)
        buffer.writeInteger(Int32(moneyScale), endianness: .little)
        for column in [openMillis, closeMillis, net, commissions, swaps, balance] {
            Self.write(column, into: &buffer)
        }
        Self.write(flags, into: &buffer)
        Self.write(symbol, into: &buffer)
        buffer.writeInteger(Int32(symbols.count), endianness: .little)
        for name in symbols {
            if let name {
                buffer.writeInteger(Int32(name.utf8.count), endianness: .little)
                buffer.writeString(name)
            } else {
                buffer.writeInteger(Int32(-1), endianness: .little)
            }
        }
        buffer.writeInteger(Int64(deals.count), endianness: .little)
        Self.write(deals.map(\.tradeSeq), into: &buffer)
        Self.write(deals.map(\.index), into: &buffer)
        Self.write(deals.map(\.closeMillis), into: &buffer)
        Self.write(deals.map(\.net), into: &buffer)
        return buffer
    }

    /// Reads stored columns; nil for another layout version, an error for damaged bytes.
    init?(stored bytes: ByteBuffer) throws {
        var buffer = bytes
        func damaged() -> PipsightError {
            PipsightError(.database, "the stored trade columns are damaged; re-ingest the backtest")
        }
        guard buffer.readInteger(endianness: .little, as: UInt32.self) == Self.magic,
              let version = buffer.readInteger(endianness: .little, as: Int32.self)
        else { throw damaged() }
        guard version == Self.storageVersion else { return nil }
        guard let count64 = buffer.readInteger(endianness: .little, as: Int64.self), count64 >= 0,
              count64 <= Int64(buffer.readableBytes),
              let scale = buffer.readInteger(endianness: .little, as: Int32.self), (0...ScaledAmount.maxScale).contains(Int(scale))
        else { throw damaged() }
        let count = Int(count64)
        self.init()
        moneyScale = Int(scale)
        guard let open: [Int64] = Self.read(count, from: &buffer), let close: [Int64] = Self.read(count, from: &buffer),
              let net: [Int64] = Self.read(count, from: &buffer), let commissions: [Int64] = Self.read(count, from: &buffer),
              let swaps: [Int64] = Self.read(count, from: &buffer), let balance: [Int64] = Self.read(count, from: &buffer),
              let flags: [UInt8] = Self.read(count, from: &buffer), let symbol: [UInt32] = Self.read(count, from: &buffer),
              let symbolCount = buffer.readInteger(endianness: .little, as: Int32.self), symbolCount >= 0
        else { throw damaged() }
        (openMillis, closeMillis, self.net, self.commissions, self.swaps, self.balance) = (open, close, net, commissions, swaps, balance)
        self.flags = flags
        self.symbol = symbol
        for _ in 0..<Int(symbolCount) {
            guard let length = buffer.readInteger(endianness: .little, as: Int32.self) else { throw damaged() }
            if length < 0 {
                symbols.append(nil)
            } else {
                guard let name = buffer.readString(length: Int(length)) else { throw damaged() }
                symbols.append(name)
            }
        }
        guard symbol.allSatisfy({ Int($0) < symbols.count }),
              let dealCount64 = buffer.readInteger(endianness: .little, as: Int64.self), dealCount64 >= 0,
              dealCount64 <= Int64(buffer.readableBytes)
        else { throw damaged() }
        let dealCount = Int(dealCount64)
        guard let seqs: [Int32] = Self.read(dealCount, from: &buffer), let indices: [Int32] = Self.read(dealCount, from: &buffer),
              let times: [Int64] = Self.read(dealCount, from: &buffer), let nets: [Int64] = Self.read(dealCount, from: &buffer),
              buffer.readableBytes == 0
        else { throw damaged() }
        deals = (0..<dealCount).map { Deal(tradeSeq: seqs[$0], index: indices[$0], closeMillis: times[$0], net: nets[$0]) }
    }

    /// Packed little-endian integers.
    private static func write<T: FixedWidthInteger>(_ values: [T], into buffer: inout ByteBuffer) {
        if T.self == UInt8.self || 1.littleEndian == 1 {
            values.withUnsafeBytes { _ = buffer.writeBytes($0) }
        } else {
            for value in values { buffer.writeInteger(value, endianness: .little) }
        }
    }

    private static func read<T: FixedWidthInteger>(_ count: Int, from buffer: inout ByteBuffer) -> [T]? {
        let size = count * MemoryLayout<T>.size
        guard buffer.readableBytes >= size else { return nil }
        let values = buffer.withUnsafeReadableBytes { raw in
            [T](unsafeUninitializedCapacity: count) { target, initialised in
                for index in 0..<count {
                    target[index] = T(littleEndian: raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
                }
                initialised = count
            }
        }
        buffer.moveReaderIndex(forwardBy: size)
        return values
    }
}
