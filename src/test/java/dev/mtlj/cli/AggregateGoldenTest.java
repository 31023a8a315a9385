package dev.mtlj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code mtlj aggregate} gives exactly the outputs recorded before the balancer redesign (issue 15): every registered
 * method (all but {@code fixed}, whose weights the CLI cannot express), parameter variants, both scales, six
 * Jacobians (T = 1 to 4, with and without conflict). The file {@code aggregate-golden.json} was written by the
 * pre-redesign build running this same command line on an Intel Xeon (OpenBLAS's SkylakeX kernels, libtorch's
 * AVX-512 code). The one deliberate change since: IMTL-G now solves on the unit rows' Gramian (its projections were
 * inexact on ill-conditioned inputs), so its 24 entries were re-recorded.
 *
 * <p>Structure, booleans and integers must match exactly; floating-point numbers within {@link #RELATIVE} of the
 * largest magnitude in the same array (of the number itself outside arrays). Other CPUs run other BLAS and ATen kernels
 * whose sums associate differently: with OpenBLAS's Haswell kernels and ATen's AVX2 code (an AMD EPYC without AVX-512,
 * or {@code OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2} here) 14 of the 408 outputs differ, by at most 9.3e-16
 * relative to their array's largest entry. 1e-10 leaves four orders of magnitude for other kernels while any change of
 * algorithm, option or parameter moves these outputs by far more.
 */
class AggregateGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double RELATIVE = 1e-10;

    static Stream<Arguments> cases() throws Exception {
        try (InputStream in =
                AggregateGoldenTest.class.getResourceAsStream("/dev/mtlj/balance/aggregate-golden.json")) {
            JsonNode all = JSON.readTree(in);
            List<Arguments> out = new ArrayList<>();
            for (JsonNode c : all) {
                out.add(Arguments.of(
                        String.join(" ", JSON.convertValue(c.get("args"), String[].class)) + " < " + c.get("input"),
                        c));
            }
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputIsUnchanged(String label, JsonNode c) throws Exception {
        String[] args = JSON.convertValue(c.get("args"), String[].class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream stdin = System.in;
        int code;
        try {
            System.setIn(new ByteArrayInputStream(JSON.writeValueAsBytes(c.get("input"))));
            code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setIn(stdin);
        }
        assertThat(code).as(err.toString()).isEqualTo(c.get("exit").asInt());
        List<String> differences = new ArrayList<>();
        compare("$", c.get("output"), JSON.readTree(out.toString()), Double.NaN, differences);
        assertThat(differences).as("output %s", out).isEmpty();
    }

    /** The comparison forgives the last bits other kernels change, and nothing a real change of result would. */
    @org.junit.jupiter.api.Test
    void theToleranceForgivesLastBitsOnly() throws Exception {
        JsonNode golden = JSON.readTree("{\"weights\":[0.08607347238476382,0.25],\"direction\":[7.089812045674584E-4,"
                + "0.01421481496117598],\"extras\":{\"weights_exact\":false,\"iterations\":3}}");
        // another CPU's answer, as found on OpenBLAS's Haswell kernels
        JsonNode lastBits = JSON.readTree("{\"weights\":[0.08607347238476389,0.25],\"direction\":[7.089812045674715E-4,"
                + "0.01421481496117598],\"extras\":{\"weights_exact\":false,\"iterations\":3}}");
        List<String> none = new ArrayList<>();
        compare("$", golden, lastBits, Double.NaN, none);
        assertThat(none).isEmpty();
        for (String changed : List.of(
                "{\"weights\":[0.08607348,0.25],\"direction\":[7.089812045674584E-4,0.01421481496117598],"
                        + "\"extras\":{\"weights_exact\":false,\"iterations\":3}}",
                "{\"weights\":[0.08607347238476382,0.25],\"direction\":[7.08982E-4,0.01421481496117598],"
                        + "\"extras\":{\"weights_exact\":false,\"iterations\":3}}",
                "{\"weights\":[0.08607347238476382,0.25],\"direction\":[7.089812045674584E-4,0.01421481496117598],"
                        + "\"extras\":{\"weights_exact\":true,\"iterations\":3}}",
                "{\"weights\":[0.08607347238476382,0.25],\"direction\":[7.089812045674584E-4,0.01421481496117598],"
                        + "\"extras\":{\"weights_exact\":false,\"iterations\":4}}",
                "{\"weights\":[0.08607347238476382],\"direction\":[7.089812045674584E-4,0.01421481496117598],"
                        + "\"extras\":{\"weights_exact\":false,\"iterations\":3}}")) {
            List<String> found = new ArrayList<>();
            compare("$", golden, JSON.readTree(changed), Double.NaN, found);
            assertThat(found).as(changed).hasSize(1);
        }
    }

    /** Appends to {@code differences} where {@code actual} departs from {@code expected} beyond the tolerance. */
    static void compare(String at, JsonNode expected, JsonNode actual, double scale, List<String> differences) {
        if (expected.isNumber() && actual.isNumber() && !(expected.isIntegralNumber() && actual.isIntegralNumber())) {
            double e = expected.asDouble();
            double a = actual.asDouble();
            double allowed = RELATIVE * (Double.isNaN(scale) ? Math.abs(e) : scale);
            if (!(Math.abs(a - e) <= allowed)) {
                differences.add(at + ": expected " + e + ", got " + a + " (allowed difference " + allowed + ")");
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            double max = 0;
            for (JsonNode v : expected) {
                max = Math.max(max, v.isNumber() ? Math.abs(v.asDouble()) : 0);
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(at + "[" + i + "]", expected.get(i), actual.get(i), max, differences);
            }
        } else if (expected.isObject() && actual.isObject()) {
            List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            List<String> got = new ArrayList<>();
            actual.fieldNames().forEachRemaining(got::add);
            if (!new java.util.TreeSet<>(names).equals(new java.util.TreeSet<>(got))) {
                differences.add(at + ": fields " + got + ", expected " + names);
                return;
            }
            for (String n : names) {
                compare(at + "." + n, expected.get(n), actual.get(n), Double.NaN, differences);
            }
        } else if (!expected.equals(actual)) {
            differences.add(at + ": expected " + expected + ", got " + actual);
        }
    }
}
