package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FleetView;
import io.flagstore.redis.PresenceKey;
import io.flagstore.redis.ServiceInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flagctl trust list|add|remove|keygen}: the presence keys operators vouch for, so that a
 * {@code --wait} confirmation can only come from a holder of the service's private key
 * (docs/operations.md, "Trusted presence keys").
 */
@Command(
        name = "trust",
        mixinStandardHelpOptions = true,
        description = {
            "The presence keys you vouch for, one per service. Once any is trusted, --wait and the console count an",
            "instance's confirmation only when its presence entry is signed by its service's trusted key; services",
            "without one no longer confirm. Without trusted keys, each instance is trusted on first sight."
        },
        subcommands = {
            TrustCommand.List.class,
            TrustCommand.Add.class,
            TrustCommand.Remove.class,
            TrustCommand.Keygen.class
        })
final class TrustCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, add, remove or keygen");
    }

    private TrustCommand() {}

    /** Of a service's live instances, how many sign with its trusted key. */
    private record Signers(int signed, int live) {
        static final Signers NONE = new Signers(0, 0);
    }

    /** Service name to its live instances and how many of them sign with its trusted key, sorted. */
    private static Map<String, Signers> signers(FleetView fleet) {
        Map<String, Signers> counts = new TreeMap<>();
        for (ServiceInstance i : fleet.live()) {
            counts.merge(
                    i.service(),
                    new Signers(fleet.trusts(i) ? 1 : 0, 1),
                    (a, b) -> new Signers(a.signed() + b.signed(), a.live() + b.live()));
        }
        return counts;
    }

    /** The services with live instances and no trusted key, sorted. */
    private static java.util.Set<String> untrusted(Map<String, Signers> signers, Map<String, String> trusted) {
        java.util.Set<String> untrusted = new TreeSet<>(signers.keySet());
        untrusted.removeAll(trusted.keySet());
        return untrusted;
    }

    /** {@code flagctl trust list}. */
    @Command(
            name = "list",
            aliases = "ls",
            mixinStandardHelpOptions = true,
            description = "Each trusted key with how many live instances of its service sign with it, and the services"
                    + " with live instances but no trusted key.")
    static final class List extends ReadCommand {
        @Override
        int run(FlagAdmin admin) {
            FleetView fleet = admin.fleet();
            Map<String, String> trusted = new TreeMap<>(fleet.trustedKeys());
            Map<String, Signers> signers = signers(fleet);
            java.util.Set<String> untrusted = untrusted(signers, trusted);
            if (json) {
                ObjectNode node = Json.object().put("namespace", connection.namespace);
                ArrayNode keys = node.putArray("trusted");
                trusted.forEach((service, key) -> {
                    Signers count = signers.getOrDefault(service, Signers.NONE);
                    keys.addObject()
                            .put("service", service)
                            .put("key", key)
                            .put("liveSigned", count.signed())
                            .put("live", count.live());
                });
                node.set("untrustedServices", Json.strings(untrusted));
                Json.print(out(), node);
                return ExitCodes.OK;
            }
            if (trusted.isEmpty()) {
                out().println("no trusted presence keys in namespace '" + connection.namespace
                        + "': instances are trusted on first sight ('trust add' to vouch for a service's key)");
                out().flush();
                return ExitCodes.OK;
            }
            Table table = new Table("SERVICE", "KEY", "LIVE SIGNED WITH IT");
            trusted.forEach((service, key) -> {
                Signers count = signers.getOrDefault(service, Signers.NONE);
                table.row(service, key, count.signed() + " of " + count.live());
            });
            table.print(out());
            if (!untrusted.isEmpty()) {
                out().println("live services with no trusted key (their confirmations do not count): "
                        + String.join(", ", untrusted));
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code flagctl trust add SERVICE (KEY | --key-file FILE)}. */
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Vouch for SERVICE's presence key: the public half of the private key file its instances sign with",
                "(RedisFlagSource.Builder.presenceKeyFile, flagstore.redis.presence-key-file). Replaces the service's",
                "earlier key. Needs the admin role."
            })
    static final class Add extends ReadCommand {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "The service name its instances report.")
        String service;

        @Parameters(
                index = "1",
                arity = "0..1",
                paramLabel = "KEY",
                description = "The public key in base64 (as 'trust keygen' prints it and presence entries carry it).")
        String text;

        @Option(
                names = "--key-file",
                paramLabel = "FILE",
                description = "Instead of KEY: a PEM public key file (BEGIN PUBLIC KEY), as 'openssl pkey -pubout'"
                        + " writes it.")
        Path file;

        @Override
        int run(FlagAdmin admin) {
            if ((text == null) == (file == null)) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "give the key either as KEY or with --key-file, not " + (text == null ? "neither" : "both"),
                        "'trust keygen FILE' prints a service key's public half");
            }
            String given = file != null ? Files.read(file) : text;
            boolean first = admin.trustedKeys().isEmpty();
            admin.trustKey(service, given);
            FleetView fleet = admin.fleet();
            Map<String, String> trusted = fleet.trustedKeys();
            Map<String, Signers> signers = signers(fleet);
            Signers count = signers.getOrDefault(service, Signers.NONE);
            java.util.Set<String> untrusted = untrusted(signers, trusted);
            if (json) {
                ObjectNode node = Json.object()
                        .put("namespace", connection.namespace)
                        .put("service", service)
                        .put("key", trusted.get(service))
                        .put("liveSigned", count.signed())
                        .put("live", count.live());
                node.set("untrustedServices", Json.strings(untrusted));
                Json.print(out(), node);
                return ExitCodes.OK;
            }
            out().println("trusted " + trusted.get(service) + " for service '" + service + "': " + count.signed()
                    + " of "
                    + count.live() + " live instances sign with it"
                    + (first ? "; --wait now counts only instances signed by their service's trusted key" : ""));
            out().flush();
            if (!untrusted.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("warning: live services with no trusted key no longer confirm --wait: "
                                + String.join(", ", untrusted));
            }
            return ExitCodes.OK;
        }
    }

    /** {@code flagctl trust remove SERVICE}. */
    @Command(
            name = "remove",
            aliases = "rm",
            mixinStandardHelpOptions = true,
            description = "Withdraw SERVICE's trusted key. With none left, instances are trusted on first sight again."
                    + " Needs the admin role.")
    static final class Remove extends ReadCommand {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Override
        int run(FlagAdmin admin) {
            if (!admin.untrustKey(service)) {
                throw new CliException(
                        ExitCodes.NOT_FOUND,
                        "no key is trusted for service '" + service + "': nothing written",
                        "'trust list' shows the trusted keys");
            }
            if (json) {
                Json.print(
                        out(),
                        Json.object().put("namespace", connection.namespace).put("removed", service));
            } else {
                out().println("removed the trusted key of service '" + service + "'");
                out().flush();
            }
            return ExitCodes.OK;
        }
    }

    /** {@code flagctl trust keygen FILE}: needs no Redis. */
    @Command(
            name = "keygen",
            mixinStandardHelpOptions = true,
            description = {
                "Write a new Ed25519 private key for a service's instances to FILE (PEM, PKCS#8, readable by its owner",
                "only; never overwritten) and print its public key for 'trust add'. Deploy the file like any secret."
            })
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the private key.")
        Path file;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PresenceKey key = PresenceKey.generate();
            try {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    java.nio.file.Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    java.nio.file.Files.createFile(file);
                }
                java.nio.file.Files.writeString(file, key.privateKeyPem(), StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException e) {
                throw new CliException(
                        ExitCodes.ERROR,
                        file + " already exists: nothing written",
                        "a key file is never overwritten; choose another path");
            } catch (IOException e) {
                throw new CliException(ExitCodes.ERROR, "cannot write " + file + ": " + e.getMessage(), null);
            }
            var out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, Json.object().put("file", file.toString()).put("key", key.publicKey()));
            } else {
                out.println("wrote a private key to " + file + "; its public key, for 'trust add SERVICE KEY':");
                out.println(key.publicKey());
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}
