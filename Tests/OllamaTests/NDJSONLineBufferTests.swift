import NIOCore
import PipsightCore
import Testing
@testable import Ollama

@Suite struct NDJSONLineBufferTests {
    private func text(_ lines: [[UInt8]]) -> [String] { lines.map { String(decoding: $0, as: UTF8.self) } }

    @Test func linesSplitAcrossChunksComeOutWhole() throws {
        var buffer = NDJSONLineBuffer()
        var lines: [String] = []
        for chunk in ["{\"a\":", "1}\n{\"b\"", ":2}\n", "{\"c\":3}\n{\"d\":4}"] {
            lines += text(try buffer.append(ByteBuffer(string: chunk)))
        }
        #expect(lines == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
        #expect(buffer.finish().map { String(decoding: $0, as: UTF8.self) } == "{\"d\":4}")
        #expect(buffer.finish() == nil)
    }

    @Test func carriageReturnsAndBlankLinesAreDropped() throws {
        var buffer = NDJSONLineBuffer()
        let lines = text(try buffer.append(ByteBuffer(string: "{\"a\":1}\r\n\n\r\n{\"b\":2}\n")))
        #expect(lines == ["{\"a\":1}", "{\"b\":2}"])
    }

    @Test func aByteAtATimeGivesTheSameLines() throws {
        var buffer = NDJSONLineBuffer()
        var lines: [String] = []
        for byte in "{\"x\":\"é\"}\n{\"y\":[1,2]}\n".utf8 {
            var chunk = ByteBuffer()
            chunk.writeInteger(byte)
            lines += text(try buffer.append(chunk))
        }
        #expect(lines == ["{\"x\":\"é\"}", "{\"y\":[1,2]}"])
    }

    @Test func anEndlessLineIsRefused() {
        var buffer = NDJSONLineBuffer(maxLineBytes: 10)
        #expect {
            _ = try buffer.append(ByteBuffer(string: String(repeating: "x", count: 11)))
        } throws: { error in
            (error as? PipsightError)?.code == .ollamaBadResponse
        }
    }
}
