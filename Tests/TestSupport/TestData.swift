import Foundation

/// Locates the shared test data (`../shared/data` beside the checkout, or `$FUSIONAI_TEST_DATA`).
public enum TestData {
    /// The data folder.
    public static let root: String = {
        if let env = ProcessInfo.processInfo.environment["FUSIONAI_TEST_DATA"], !env.isEmpty { return env }
        // This file is Tests/TestSupport/TestData.swift: the checkout is three levels up.
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return checkout.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }()

    /// The path of `relative` under the data folder.
    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// The project's root folder.
    public static let checkout: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A fresh, empty temporary folder, removed when the test process exits.
    public static func temporaryDirectory(_ label: String = "fusionai-test") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        createdFolders.record(dir)
        return dir
    }
}

/// Folders made by tests, deleted at exit so repeated runs do not fill /tmp.
private let createdFolders = CreatedFolders()

private final class CreatedFolders: @unchecked Sendable {
    private let lock = NSLock()
    private var folders: [String] = []

    init() {
        atexit { createdFolders.removeAll() }
    }

    func record(_ folder: String) {
        lock.lock()
        folders.append(folder)
        lock.unlock()
    }

    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for folder in folders {
            chmod(folder, 0o755)  // some tests make folders read-only
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}
