import Foundation
import PackagePlugin

/// Records the source revision in the binary at build time: before every build, `git` (when the
/// package is a git work tree) writes `BuildRevision.swift` with `HEAD`'s short hash, marked
/// `-dirty` when `Package.swift` or `Sources/` differ from it. Without git or outside a work tree
/// (a source archive) the revision is "unknown". The file is rewritten only when the text changes,
/// so an unchanged revision costs no recompilation. Runs no network and nothing but git.
@main
struct BuildRevision: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
        let script = """
            out="$1/BuildRevision.swift"; root="$2"; mkdir -p "$1"
            rev=unknown
            if command -v git >/dev/null 2>&1 && head=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null); then
                rev="$head"
                if [ -n "$(git -C "$root" --no-optional-locks status --porcelain -- Package.swift Sources 2>/dev/null)" ]; then
                    rev="$rev-dirty"
                fi
            fi
            printf '// Written by the BuildRevision plugin at build time (not in git).\\nlet buildRevision = "%s"\\n' "$rev" > "$out.new"
            if cmp -s "$out.new" "$out"; then rm -f "$out.new"; else mv "$out.new" "$out"; fi
            """
        return [.prebuildCommand(displayName: "Recording the source revision",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", folder.path, context.package.directoryURL.path],
                                 outputFilesDirectory: folder)]
    }
}
