import Support
import XCTest

/// Asserts that `expression` throws an error of type `E` with `code`, and returns that error so a
/// test can go on to check what the message names (the file, the line).
@discardableResult
public func assertThrows<E: CodedError, T>(
    _ expression: @autoclosure () throws -> T, _ type: E.Type, code: E.Code,
    file: StaticString = #filePath, line: UInt = #line
) -> E? {
    do {
        _ = try expression()
        XCTFail("expected \(E.self).\(code.rawValue), nothing was thrown", file: file, line: line)
    } catch let error as E {
        XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected \(E.self).\(code.rawValue), got \(error)", file: file, line: line)
    }
    return nil
}
