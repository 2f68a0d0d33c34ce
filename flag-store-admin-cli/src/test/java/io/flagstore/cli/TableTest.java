package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void alignsColumnsToTheWidestCellAndPrintsNullAsDash() {
        StringWriter out = new StringWriter();
        new Table("KEY", "STATE", "OWNER")
                .row("payments-api", "off", null)
                .row("x", "on", "team")
                .print(new PrintWriter(out));
        assertThat(out.toString().lines())
                .containsExactly("KEY           STATE  OWNER", "payments-api  off    -", "x             on     team");
    }
}
