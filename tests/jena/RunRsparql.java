// Runs Apache Jena's own remote-query command (arq.rsparql) once per query file, in one JVM,
// so the endpoint tests start Java once instead of once per stored query.
// Usage: java -cp CLASSPATH RunRsparql SERVICE_URL QUERY_FILE OUT_FILE [QUERY_FILE OUT_FILE ...]
import java.io.FileOutputStream;
import java.io.PrintStream;

public class RunRsparql {
    public static void main(String[] args) throws Exception {
        String service = args[0];
        PrintStream original = System.out;
        for (int i = 1; i + 1 < args.length; i += 2) {
            try (PrintStream out = new PrintStream(new FileOutputStream(args[i + 1]), true, "UTF-8")) {
                System.setOut(out);
                arq.rsparql.main("--service", service, "--query", args[i], "--results", "json");
            } finally {
                System.setOut(original);
            }
        }
    }
}
