package io.flagstore.cli;

import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Serve;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code flagctl create KEY}: a boolean flag unless told otherwise, created off like every new flag
 * (a JSON definition without {@code enabled}, {@code Flag.booleanFlag}): nobody is exposed to a path
 * until someone turns it on on purpose.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create a flag. By default a boolean flag: variants on=true/off=false, serving on once enabled.",
            "A new flag is off (serves its off variant) until --enabled or a later 'enable'.",
            "Other types: --type string|number|json with --variant NAME=VALUE (the first variant is the off",
            "variant and the fallthrough unless --off-variant/--fallthrough say otherwise).",
            "Or the whole definition from a JSON file: --from-file FILE (see docs/flag-format.md)."
        })
final class CreateCommand extends WriteCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "The flag key ([a-z0-9][a-z0-9._-]*).")
    String key;

    @Option(names = "--type", paramLabel = "TYPE", description = "boolean (default), string, number or json.")
    FlagType type = FlagType.BOOLEAN;

    @Option(names = "--variant", paramLabel = "NAME=VALUE", description = "A variant, in order (repeatable).")
    List<String> variants = List.of();

    @Option(names = "--off-variant", paramLabel = "NAME", description = "Served while the flag is off.")
    String offVariant;

    @Option(names = "--fallthrough", paramLabel = "NAME", description = "Served while on to everyone not targeted.")
    String fallthrough;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Option(names = "--owner", paramLabel = "TEAM")
    String owner;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeatable).")
    List<String> tags = List.of();

    @Option(names = "--temporary", description = "A release flag meant to be removed (see --expires).")
    boolean temporary;

    @Option(
            names = "--expires",
            paramLabel = "DATE",
            converter = Converters.Time.class,
            description = "When a temporary flag should be gone: 2026-12-31 or an ISO-8601 instant.")
    Instant expires;

    @Option(names = "--enabled", description = "Create it switched on (a new flag is off otherwise).")
    boolean enabled;

    @Option(names = "--from-file", paramLabel = "FILE", description = "The definition as JSON (one flag).")
    Path fromFile;

    private Flag flag;

    @Override
    void validate() {
        if (options.expectVersion != null && options.expectVersion != 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "create only writes a flag that does not exist yet:" + " --expect-version can only be 0 here");
        }
        flag = fromFile != null ? fromFile() : fromOptions();
        key = flag.key();
    }

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        try {
            return admin.create(flag, writeOptions);
        } catch (VersionConflictException e) {
            throw new CliException(
                    ExitCodes.CONFLICT,
                    "flag '" + key + "' already exists (version " + e.actualVersion() + ")",
                    "change it with '" + spec.root().name() + " set " + key
                            + "' or make a file the truth with 'apply -f'");
        }
    }

    private Flag fromFile() {
        if (!variants.isEmpty() || offVariant != null || fallthrough != null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--from-file takes the whole definition: drop --variant," + " --off-variant and --fallthrough");
        }
        Flag flag = FlagJson.read(Files.read(fromFile));
        if (key != null && !key.equals(flag.key())) {
            throw new ParameterException(
                    spec.commandLine(), "KEY '" + key + "' differs from the key '" + flag.key() + "' in " + fromFile);
        }
        return flag;
    }

    private Flag fromOptions() {
        if (key == null) {
            throw new ParameterException(spec.commandLine(), "missing the flag KEY (or --from-file FILE)");
        }
        Flag.Builder b;
        if (type == FlagType.BOOLEAN && variants.isEmpty()) {
            b = Flag.booleanFlag(key);
        } else {
            if (variants.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "a " + type.name().toLowerCase(java.util.Locale.ROOT)
                                + " flag needs at least one --variant NAME=VALUE");
            }
            b = Flag.builder(key, type);
            String first = putVariants(b, type, variants);
            b.offVariant(first).fallthrough(Serve.variant(first));
        }
        if (offVariant != null) {
            b.offVariant(offVariant);
        }
        if (fallthrough != null) {
            b.fallthrough(Serve.variant(fallthrough));
        }
        return b.enabled(enabled)
                .description(description)
                .owner(owner)
                .tags(tags)
                .temporary(temporary)
                .expiresAt(expires)
                .build();
    }

    @Override
    String summary(WriteResult result) {
        return "created " + key;
    }
}
