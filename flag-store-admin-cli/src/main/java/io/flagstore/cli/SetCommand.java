package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Serve;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code flagctl set KEY --field value...}: edits a flag's fields in one compare-and-set write. */
@Command(
        name = "set",
        aliases = "edit",
        mixinStandardHelpOptions = true,
        description = {
            "Change fields of a flag (description, owner, tags, expiry, variants...) in one write.",
            "A concurrent change to other fields is merged (re-read and retried); with --expect-version V",
            "it is a conflict (exit 4) instead. Never a lost update."
        })
final class SetCommand extends WriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Option(names = "--description", paramLabel = "TEXT", description = "New description (\"\" clears it).")
    String description;

    @Option(names = "--owner", paramLabel = "TEAM", description = "New owner (\"\" clears it).")
    String owner;

    @Option(
            names = "--tags",
            split = ",",
            paramLabel = "TAG",
            description = "Replace all tags (comma-separated; \"\" clears).")
    List<String> tags;

    @Option(names = "--add-tag", paramLabel = "TAG", description = "Add a tag (repeatable).")
    List<String> addTags = List.of();

    @Option(names = "--remove-tag", paramLabel = "TAG", description = "Remove a tag (repeatable).")
    List<String> removeTags = List.of();

    @Option(
            names = "--temporary",
            arity = "1",
            paramLabel = "true|false",
            description = "Mark as a release flag to remove, or as permanent.")
    Boolean temporary;

    @Option(
            names = "--expires",
            paramLabel = "DATE|none",
            description = "Expiry date (2026-12-31 or ISO-8601), or none.")
    String expires;

    @Option(names = "--variant", paramLabel = "NAME=VALUE", description = "Add or replace a variant (repeatable).")
    List<String> variants = List.of();

    @Option(names = "--off-variant", paramLabel = "NAME", description = "Served while the flag is off.")
    String offVariant;

    @Option(
            names = "--fallthrough",
            paramLabel = "NAME",
            description = "Served while on to everyone not targeted (replaces a rollout).")
    String fallthrough;

    @Override
    void validate() {
        if (description == null
                && owner == null
                && tags == null
                && addTags.isEmpty()
                && removeTags.isEmpty()
                && temporary == null
                && expires == null
                && variants.isEmpty()
                && offVariant == null
                && fallthrough == null) {
            throw new ParameterException(spec.commandLine(), "nothing to set: give at least one field option");
        }
        if (expires != null && !expires.equalsIgnoreCase("none")) {
            parsed(() -> Values.instant(expires));
        }
    }

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        Flag flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        if (edit(flag).equals(flag)) {
            if (!options.json) {
                out().println("nothing to change: " + key + " already has those values (version " + flag.version()
                        + ")");
                out().flush();
            }
            return null;
        }
        // Re-reads and retries on a concurrent write to other fields; with --expect-version a
        // concurrent write is a conflict instead.
        return admin.modify(key, this::edit, writeOptions);
    }

    /** The flag with the requested fields changed; no side effects (modify may call it again). */
    private Flag edit(Flag flag) {
        Flag.Builder b = flag.toBuilder();
        if (description != null) {
            b.description(description.isEmpty() ? null : description);
        }
        if (owner != null) {
            b.owner(owner.isEmpty() ? null : owner);
        }
        Set<String> newTags = new LinkedHashSet<>(tags != null ? tags : flag.tags());
        newTags.remove("");
        newTags.addAll(addTags);
        removeTags.forEach(newTags::remove);
        b.tags(new ArrayList<>(newTags));
        if (temporary != null) {
            b.temporary(temporary);
        }
        if (expires != null) {
            b.expiresAt(expires.equalsIgnoreCase("none") ? null : Values.instant(expires));
        }
        putVariants(b, flag.type(), variants);
        if (offVariant != null) {
            b.offVariant(offVariant);
        }
        if (fallthrough != null) {
            b.fallthrough(Serve.variant(fallthrough));
        }
        return b.build();
    }

    @Override
    String summary(WriteResult result) {
        return "updated " + key;
    }
}
