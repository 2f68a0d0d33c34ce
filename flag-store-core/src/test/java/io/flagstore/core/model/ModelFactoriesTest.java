package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class ModelFactoriesTest {
    private static final long BASE_SEED = 0x5EED_F1A6L;

    @Test
    void factoriesBuildTheSameDefinitionAsTheJsonFormat() {
        Flag built = Flag.booleanFlag("new-checkout")
                .enabled(true)
                .rule(Rule.of("eu", Serve.variant("on"), Clause.in("country", "DE", "FR"), Clause.inSegment("beta"))
                        .withDescription("EU beta"))
                .rule(Rule.of("old-app", Serve.variant("off"), Clause.semver("app", Operator.SEMVER_LT, "2.0.0")))
                .fallthrough(Serve.rollout(Rollout.of("on", 25).and("off", 75).bucketedBy("org")))
                .prerequisite(Prerequisite.of("payments-api", "on"))
                .build();
        Flag fromJson = FlagJson.read(
                """
                {"key": "new-checkout", "enabled": true,
                 "variants": {"on": true, "off": false}, "offVariant": "off",
                 "rules": [
                   {"id": "eu", "description": "EU beta", "serve": {"variant": "on"}, "clauses": [
                     {"attribute": "country", "op": "in", "values": ["DE", "FR"]},
                     {"attribute": "key", "op": "inSegment", "values": ["beta"]}]},
                   {"id": "old-app", "serve": {"variant": "off"}, "clauses": [
                     {"attribute": "app", "op": "semverLt", "values": ["2.0.0"]}]}],
                 "fallthrough": {"rollout": {"bucketBy": "org",
                   "variants": [{"variant": "on", "weight": 25}, {"variant": "off", "weight": 75}]}},
                 "prerequisites": [{"flagKey": "payments-api", "variant": "on"}]}
                """);
        assertThat(FlagJson.write(built)).isEqualTo(FlagJson.write(fromJson));
    }

    @Test
    void typedVariantsNeedNoJacksonType() {
        Flag theme = Flag.builder("theme", FlagType.STRING)
                .variant("light", "light")
                .variant("dark", "dark")
                .offVariant("light")
                .fallthrough(Serve.variant("dark"))
                .enabled(true)
                .build();
        Flag limit = Flag.builder("limit", FlagType.NUMBER)
                .variant("low", 10)
                .variant("high", 2.5)
                .offVariant("low")
                .fallthrough(Serve.variant("high"))
                .enabled(true)
                .build();
        Segment staff = Segment.of("staff", "alice").excluding("mallory").withRule(Clause.endsWith("email", "@corp"));
        try (FlagClient client = FlagClient.builder()
                .source(InMemoryFlagSource.of(new FlagDocument(List.of(theme, limit), List.of(staff))))
                .build()) {
            EvaluationContext alice = EvaluationContext.of("alice");
            assertThat(client.stringValue("theme", alice, "x")).isEqualTo("dark");
            assertThat(client.numberValue("limit", alice, 0)).isEqualTo(2.5);
        }
        assertThat(FlagValidator.problems(staff)).isEmpty();
        assertThat(FlagJson.readSegment(FlagJson.writeSegment(staff))).isEqualTo(staff);
    }

    @Test
    void negateInvertsAndFactoriesStillValidate() {
        Clause notStaff = Clause.inSegment("staff").negated();
        assertThat(notStaff.negated()).isEqualTo(Clause.inSegment("staff"));
        Flag bad = Flag.booleanFlag("x")
                .fallthrough(Serve.rollout(Rollout.of("on", 25).and("off", 65)))
                .build();
        assertThat(FlagValidator.problems(bad)).anyMatch(p -> p.contains("100"));
    }

    @RepeatedTest(50)
    void builtFlagsRoundTripThroughTheJsonFormat(RepetitionInfo repetition) {
        long seed = BASE_SEED + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Flag flag = randomFlag(random);
        assertThat(FlagValidator.problems(flag)).as("seed %d", seed).isEmpty();
        assertThat(FlagJson.write(FlagJson.read(FlagJson.write(flag))))
                .as("seed %d", seed)
                .isEqualTo(FlagJson.write(flag));
    }

    private static Flag randomFlag(Random random) {
        Flag.Builder b = Flag.booleanFlag("flag-" + random.nextInt(1000)).enabled(random.nextBoolean());
        int rules = random.nextInt(4);
        for (int i = 0; i < rules; i++) {
            List<Clause> clauses = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int c = 0; c < n; c++) {
                Clause clause =
                        switch (random.nextInt(9)) {
                            case 0 -> Clause.in("country", "DE", "US");
                            case 1 -> Clause.in("age", 18, 21);
                            case 2 -> Clause.notIn("plan", "free");
                            case 3 -> Clause.startsWith("email", "admin");
                            case 4 -> Clause.contains("email", "@corp");
                            case 5 -> Clause.compare("score", Operator.GTE, random.nextInt(100));
                            case 6 -> Clause.after(
                                    "signup", Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1000)));
                            case 7 -> Clause.semver("app", Operator.SEMVER_GT, "1." + random.nextInt(9) + ".0");
                            default -> Clause.matches("host", "^web-[0-9]+$");
                        };
                clauses.add(random.nextBoolean() ? clause.negated() : clause);
            }
            Serve serve = random.nextBoolean()
                    ? Serve.variant(random.nextBoolean() ? "on" : "off")
                    : Serve.rollout(split(random));
            b.rule(Rule.of("r" + i, serve, clauses.toArray(Clause[]::new)));
        }
        if (random.nextBoolean()) {
            b.fallthrough(Serve.rollout(split(random)));
        }
        return b.build();
    }

    private static Rollout split(Random random) {
        int on = random.nextInt(101);
        Rollout rollout = Rollout.of("on", on).and("off", 100 - on);
        return random.nextBoolean() ? rollout.bucketedBy("org") : rollout;
    }
}
