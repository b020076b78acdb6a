package io.hare.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Collects every scenario's rows and rounds, prints them as a table and writes them as
 * Markdown and CSV.
 */
final class Report {

	private static final String[] HEADER = { "scenario", "contender", "msgs/s (median)", "p50 ms", "p99 ms",
			"vs", "ratio (median)", "ratio min", "ratio max", "spread ±%", "CPU µs/msg", "CPU ratio (min–max)", "goal",
			"met", "note" };

	private final BenchmarkOptions options;

	private final String server;

	private final String startedAt = OffsetDateTime.now(ZoneOffset.UTC)
		.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);

	private final List<ResultRow> rows = new ArrayList<>();

	private final List<Measurement> measurements = new ArrayList<>();

	private final Map<String, String> notes = new LinkedHashMap<>();

	private final Map<String, String> files = new LinkedHashMap<>();

	private final Map<String, double[]> loads = new LinkedHashMap<>();

	Report(BenchmarkOptions options, String server) {
		this.options = options;
		this.server = server;
	}

	void add(List<ResultRow> rows) {
		this.rows.addAll(rows);
	}

	void addMeasurements(List<Measurement> measurements) {
		this.measurements.addAll(measurements);
	}

	/**
	 * Say something about a scenario that has no rows, such as why it did not run.
	 * @param scenario the scenario
	 * @param note what to say
	 */
	void note(String scenario, String note) {
		this.notes.put(scenario, note);
	}

	/**
	 * Record how busy the machine was around a scenario.
	 * @param scenario the scenario
	 * @param before the 1-minute load average before it ran
	 * @param after the 1-minute load average after it ran
	 */
	void load(String scenario, double before, double after) {
		this.loads.put(scenario, new double[] { before, after });
	}

	/**
	 * Add a file, such as a chart, to write beside the report.
	 * @param name the file name
	 * @param content its content
	 */
	void file(String name, String content) {
		this.files.put(name, content);
	}

	void print(PrintStream out) {
		List<String[]> lines = new ArrayList<>();
		lines.add(HEADER);
		this.rows.forEach((row) -> lines.add(cells(row)));
		int[] widths = new int[HEADER.length];
		for (String[] line : lines) {
			for (int i = 0; i < line.length; i++) {
				widths[i] = Math.max(widths[i], line[i].length());
			}
		}
		out.println();
		out.println(title());
		for (int l = 0; l < lines.size(); l++) {
			String[] line = lines.get(l);
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < line.length; i++) {
				text.append(String.format("%-" + widths[i] + "s  ", line[i]));
			}
			out.println(text.toString().stripTrailing());
			if (l == 0) {
				out.println("-".repeat(Arrays.stream(widths).sum() + 2 * widths.length));
			}
		}
		this.notes.forEach((scenario, note) -> out.println(scenario + ": " + note));
		if (!this.loads.isEmpty()) {
			out.println("Load average (1 min) before → after: " + this.loads.entrySet()
				.stream()
				.map((load) -> load.getKey() + " " + loadText(load.getValue()))
				.collect(Collectors.joining(", ")));
		}
	}

	private static String loadText(double[] load) {
		return number(load[0], 2) + " → " + number(load[1], 2);
	}

	/**
	 * Write {@code results.md}, {@code results.csv}, {@code rounds.csv} and the added files.
	 * @param directory where
	 * @return the files written
	 */
	List<Path> write(Path directory) throws IOException {
		Files.createDirectories(directory);
		List<Path> written = new ArrayList<>();
		written.add(write(directory.resolve("results.md"), markdown()));
		written.add(write(directory.resolve("results.csv"), csv()));
		written.add(write(directory.resolve("rounds.csv"), roundsCsv()));
		for (Map.Entry<String, String> file : this.files.entrySet()) {
			written.add(write(directory.resolve(file.getKey()), file.getValue()));
		}
		return written;
	}

	private static Path write(Path path, String content) throws IOException {
		return Files.writeString(path, content, StandardCharsets.UTF_8);
	}

	private String title() {
		return "Hare benchmarks, " + this.startedAt + ", " + this.server + ", "
				+ Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
				+ (this.options.small() ? " — SMALL SIZES, NOT REPRESENTATIVE" : "");
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# ").append(title()).append("\n\n");
		md.append("Settings: ")
			.append(this.options.describe()
				.entrySet()
				.stream()
				.map((entry) -> "`" + entry.getKey() + "=" + entry.getValue() + "`")
				.collect(Collectors.joining(", ")))
			.append(".\n\n");
		md.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
		md.append("|").append("---|".repeat(HEADER.length)).append("\n");
		this.rows.forEach((row) -> md.append("| ")
			.append(Arrays.stream(cells(row)).map((cell) -> cell.replace("|", "\\|")).collect(Collectors.joining(" | ")))
			.append(" |\n"));
		if (!this.loads.isEmpty()) {
			md.append("\nLoad average (1 min, `/proc/loadavg`) before → after each scenario: ")
				.append(this.loads.entrySet()
					.stream()
					.map((load) -> "`" + load.getKey() + "` " + loadText(load.getValue()))
					.collect(Collectors.joining(", ")))
				.append(" (")
				.append(Runtime.getRuntime().availableProcessors())
				.append(" cores).\n");
		}
		if (!this.notes.isEmpty()) {
			md.append("\n");
			this.notes.forEach((scenario, note) -> md.append("- **").append(scenario).append("**: ").append(note)
				.append("\n"));
		}
		this.files.keySet()
			.stream()
			.filter((name) -> name.endsWith(".svg"))
			.forEach((name) -> md.append("\n![").append(name).append("](").append(name).append(")\n"));
		return md.toString();
	}

	String csv() {
		StringBuilder csv = new StringBuilder();
		csv.append("scenario,contender,rate_median,p50_ms,p99_ms,baseline,ratio_median,ratio_min,ratio_max,"
				+ "cpu_us_per_msg,cpu_ratio_median,cpu_ratio_min,cpu_ratio_max,goal,met,note,load_before,load_after\n");
		for (ResultRow row : this.rows) {
			ResultRow.Ratio ratio = row.ratio();
			ResultRow.Ratio cpu = row.cpuRatio();
			double[] load = this.loads.getOrDefault(row.scenario(), new double[] { Double.NaN, Double.NaN });
			csv.append(Stream
				.of(row.scenario(), row.contender(), number(row.rate(), 1), number(row.p50Millis(), 2),
						number(row.p99Millis(), 2), (ratio != null) ? ratio.baseline() : "",
						(ratio != null) ? number(ratio.median(), 3) : "", (ratio != null) ? number(ratio.min(), 3) : "",
						(ratio != null) ? number(ratio.max(), 3) : "", number(row.cpuMicros(), 2),
						(cpu != null) ? number(cpu.median(), 3) : "", (cpu != null) ? number(cpu.min(), 3) : "",
						(cpu != null) ? number(cpu.max(), 3) : "", row.goal(),
						(row.met() != null) ? row.met().toString() : "", row.note(), number(load[0], 2),
						number(load[1], 2))
				.map(Report::csvCell)
				.collect(Collectors.joining(",")))
				.append("\n");
		}
		return csv.toString();
	}

	String roundsCsv() {
		StringBuilder csv = new StringBuilder(
				"scenario,contender,round,messages,seconds,rate,p50_ms,p99_ms,cpu_us_per_msg\n");
		for (Measurement m : this.measurements) {
			csv.append(Stream
				.of(m.scenario(), m.contender(), Integer.toString(m.round()), Long.toString(m.messages()),
						number(m.seconds(), 3), number(m.rate(), 1), number(m.p50Millis(), 2), number(m.p99Millis(), 2),
						number(m.cpuMicrosPerMessage(), 2))
				.map(Report::csvCell)
				.collect(Collectors.joining(",")))
				.append("\n");
		}
		return csv.toString();
	}

	private static String[] cells(ResultRow row) {
		ResultRow.Ratio ratio = row.ratio();
		ResultRow.Ratio cpu = row.cpuRatio();
		return new String[] { row.scenario(), row.contender(), grouped(row.rate()), number(row.p50Millis(), 1),
				number(row.p99Millis(), 1), (ratio != null) ? ratio.baseline() : "",
				(ratio != null) ? number(ratio.median(), 2) : "", (ratio != null) ? number(ratio.min(), 2) : "",
				(ratio != null) ? number(ratio.max(), 2) : "",
				(ratio != null) ? number(100 * ratio.spread(), 0) : "", number(row.cpuMicros(), 1),
				(cpu != null) ? number(cpu.median(), 2) + " (" + number(cpu.min(), 2) + "–" + number(cpu.max(), 2) + ")"
						: "",
				row.goal(),
				(row.met() == null) ? "" : (row.met() ? "yes" : "NO"), row.note() };
	}

	private static String grouped(double value) {
		return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%,.0f", value);
	}

	private static String number(double value, int decimals) {
		return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	private static String csvCell(String cell) {
		return (cell.contains(",") || cell.contains("\"") || cell.contains("\n"))
				? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
	}

}
