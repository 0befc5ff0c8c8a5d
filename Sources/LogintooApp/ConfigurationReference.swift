import Foundation

extension Configuration {
    /// `docs/configuration.md`: every setting with its environment variable, flag, help and default, in the table's order.
    public static func referenceMarkdown() -> String {
        var lines = [
            "# Configuration reference",
            "",
            "Every setting is an environment variable, a flag of `logintoo serve` (and of the other commands), and a line",
            "`NAME=value` in an optional config file (`--config FILE` or `LOGINTOO_CONFIG`). Flags win over the environment,",
            "which wins over the file. A setting that cannot be used stops the start with a message naming it.",
            "",
            "This page is generated from the `Configuration` type: `logintoo config-reference > docs/configuration.md`.",
            "",
            "| environment variable | flag | what it sets |",
            "| --- | --- | --- |",
        ]
        for setting in settings {
            lines.append("| `\(setting.environment)` | `--\(setting.flag)` | \(setting.help.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        lines += [
            "",
            "Each setting that holds a secret (\(secretSettings.sorted().map { "`\($0)`" }.joined(separator: ", "))) can instead name",
            "a file to read it from, in a variable (or config-file line) of the same name with `_FILE` appended, such as",
            "`LOGINTOO_KEY_ENCRYPTION_KEY_FILE=/run/secrets/kek`: the secret then stays out of the environment. A final line",
            "break in the file is ignored.",
            "",
            "Amazon SES (`ses://REGION`) takes its credentials as the AWS SDKs do: `AWS_ACCESS_KEY_ID` and",
            "`AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), else a web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` with",
            "`AWS_ROLE_ARN`), else the ECS task role (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`), else the EC2",
            "instance's role through IMDSv2; see docs/deploy-aws.md, \"Mail credentials\".",
            "`LOGINTOO_LOG_LEVEL` (`trace` to `critical`, default `info`) sets how much is logged.",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
