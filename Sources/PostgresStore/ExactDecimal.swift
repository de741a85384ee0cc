import Foundation
import NIOCore
import PostgresNIO

/// A `numeric` read straight from PostgreSQL's binary form into a `Decimal`, exactly, without the string
/// PostgresNIO's own `Decimal` decoding builds and parses for every value (the larger part of reading a
/// backtest's trades back). Values of up to 16 significant decimal digits (every price, volume and amount of a
/// trade) take the fast path; longer ones fall back to PostgresNIO's decoding. `NaN` and infinities are an error,
/// as for `Decimal`.
struct ExactDecimal: PostgresDecodable, Sendable {
    let value: Decimal

    init(_ value: Decimal) {
        self.value = value
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard format == .binary, type == .numeric else {
            value = try Decimal(from: &buffer, type: type, format: format, context: context)
            return
        }
        let start = buffer.readerIndex
        guard let digitCount = buffer.readInteger(endianness: .big, as: Int16.self),
              let weight = buffer.readInteger(endianness: .big, as: Int16.self),
              let sign = buffer.readInteger(endianness: .big, as: UInt16.self),
              buffer.readInteger(endianness: .big, as: UInt16.self) != nil  // dscale: display only
        else { throw PostgresDecodingError.Code.failure }
        guard sign == 0x0000 || sign == 0x4000 else { throw PostgresDecodingError.Code.failure }  // NaN, ±Infinity
        guard digitCount > 0 else {
            value = 0
            return
        }
        guard digitCount <= 4 else {
            // More than 16 decimal digits: PostgresNIO's exact (slower) path.
            buffer.moveReaderIndex(to: start)
            value = try Decimal(from: &buffer, type: type, format: format, context: context)
            return
        }
        // The digits are base 10,000, the first one worth 10,000^weight.
        var mantissa: UInt64 = 0
        for _ in 0..<digitCount {
            guard let digit = buffer.readInteger(endianness: .big, as: Int16.self), (0..<10_000).contains(digit) else {
                throw PostgresDecodingError.Code.failure
            }
            mantissa = mantissa * 10_000 + UInt64(digit)
        }
        let exponent = 4 * (Int(weight) - (Int(digitCount) - 1))
        value = Decimal(sign: sign == 0x4000 ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
    }
}
