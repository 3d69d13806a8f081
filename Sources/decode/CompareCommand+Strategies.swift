import ArgumentParser
import Constraints
import Decoding
import Evaluation
import Foundation
import Search
import Strategies

extension StrategySpecification {
    /// The strategy language's names, for help texts.
    static let validList = syntax.joined(separator: ", ")

    /// Parses `--strategies`; a bad list is a usage error with the library's sentence.
    static func parseOption(_ list: String) throws -> [StrategySpecification] {
        do {
            return try parseList(list)
        } catch {
            throw ValidationError("--strategies: \(error).")
        }
    }
}

extension VerifierSpecification {
    /// Parses `--verifier`; a bad list is a usage error with the library's sentence.
    static func parseOption(_ list: String) throws -> [VerifierSpecification] {
        do {
            return try parseList(list)
        } catch {
            throw ValidationError("--verifier: \(error).")
        }
    }
}
