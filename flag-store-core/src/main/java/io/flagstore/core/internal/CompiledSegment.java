package io.flagstore.core.internal;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Segment;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A segment with hashed key lists and compiled rules. Segments may not reference segments (an
 * {@code inSegment} clause inside a segment makes it malformed), so membership never recurses.
 * A malformed segment makes every flag referencing it malformed.
 */
final class CompiledSegment {
    private static final CompiledClause[][] NO_RULES = {};

    private final Segment segment;
    private final String problem;
    private final Set<String> included;
    private final Set<String> excluded;
    private final CompiledClause[][] rules;

    CompiledSegment(Segment segment) {
        this.segment = segment;
        this.included = new HashSet<>(segment.included());
        this.excluded = new HashSet<>(segment.excluded());
        CompiledClause[][] compiled;
        String failure = null;
        try {
            compiled = new CompiledClause[segment.rules().size()][];
            for (int r = 0; r < compiled.length; r++) {
                List<Clause> clauses = segment.rules().get(r);
                compiled[r] = new CompiledClause[clauses.size()];
                for (int c = 0; c < clauses.size(); c++) {
                    if (clauses.get(c).op() == Operator.IN_SEGMENT) {
                        throw new MalformedException("rule " + r + " references a segment; segments cannot nest");
                    }
                    compiled[r][c] = new CompiledClause(clauses.get(c), Map.of());
                }
            }
        } catch (MalformedException e) {
            compiled = NO_RULES;
            failure = e.getMessage();
        }
        this.rules = compiled;
        this.problem = failure;
    }

    Segment segment() {
        return segment;
    }

    /** Why this segment cannot be used, or {@code null} when it compiled. */
    String problem() {
        return problem;
    }

    /** Included keys are in; else excluded keys are out; else in when all clauses of any rule match. */
    boolean contains(EvaluationContext ctx) {
        String key = ctx.key();
        if (included.contains(key)) {
            return true;
        }
        if (excluded.contains(key)) {
            return false;
        }
        for (CompiledClause[] rule : rules) {
            if (CompiledFlag.allMatch(rule, ctx)) {
                return true;
            }
        }
        return false;
    }
}
