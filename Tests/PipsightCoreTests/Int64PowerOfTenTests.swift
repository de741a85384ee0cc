import PipsightCore
import Testing

@Suite("Int64 × 10^n for scaled money")
struct Int64PowerOfTenTests {
    @Test("exact products, signs kept, nil exactly when 64 bits overflow")
    func products() {
        #expect(Int64(5).multipliedByPowerOfTen(0) == 5)
        #expect(Int64(5).multipliedByPowerOfTen(3) == 5_000)
        #expect(Int64(-7).multipliedByPowerOfTen(2) == -700)
        #expect(Int64(1).multipliedByPowerOfTen(18) == 1_000_000_000_000_000_000)
        #expect(Int64(1).multipliedByPowerOfTen(19) == nil)
        #expect(Int64(922_337_203_685_477_580).multipliedByPowerOfTen(1) == 9_223_372_036_854_775_800)
        #expect(Int64(922_337_203_685_477_581).multipliedByPowerOfTen(1) == nil)
        #expect(Int64(-922_337_203_685_477_580).multipliedByPowerOfTen(1) == -9_223_372_036_854_775_800)
        #expect(Int64(0).multipliedByPowerOfTen(40) == 0)
    }
}
