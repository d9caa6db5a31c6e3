package io.sluice.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the Sluice jars as their own JVMs, each with its output in {@code <logs>/<name>.log} (kept after the
 * run under {@code e2e/target/e2e-logs}, so a failure can be read), and kills what it started on close.
 */
public final class JavaProcesses implements AutoCloseable {
    private final Path logs;
    private final List<Process> started = new ArrayList<>();

    public JavaProcesses(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
        // if the test JVM ends without closing us, the processes must not outlive it
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "e2e-process-reaper"));
    }

    public Path logs() {
        return logs;
    }

    /**
     * Runs {@code java -jar jar args...} with a small heap, C1 only and the serial collector (start-up matters more
     * than peak speed here) and time-stamped log lines; appends to the log of {@code name}.
     */
    public synchronized Process start(String name, Path jar, Map<String, String> env, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    @Override
    public synchronized void close() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
