package io.hare.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that every relative link in the README, the pages in {@code docs/} and the benchmarks'
 * README points to a file that exists and, with an {@code #anchor}, to one of its headings.
 */
class DocumentationLinksTests {

	/**
	 * The repository's root, seen from this module: Maven runs tests in the module's directory.
	 */
	private static final Path ROOT = Path.of("..");

	/**
	 * {@code ](target)}, the end of an inline link or image; the target stops at a space (before
	 * an optional title) or at the closing parenthesis.
	 */
	private static final Pattern LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+[^)]*)?\\)");

	private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");

	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

	private static final Pattern INLINE_LINK_TEXT = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");

	private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

	private final Map<Path, Set<String>> anchors = new HashMap<>();

	@Test
	void everyRelativeLinkInTheDocumentationResolves() throws IOException {
		List<Path> documents = documents();
		assertThat(documents).as("documentation under %s", ROOT.toAbsolutePath().normalize())
			.contains(ROOT.resolve("README.md"));
		List<String> broken = new ArrayList<>();
		for (Path document : documents) {
			broken.addAll(brokenLinks(document));
		}
		assertThat(broken).as("links whose file or heading does not exist").isEmpty();
	}

	@Test
	void anchorsAreTheIdsGitHubGivesHeadings() {
		assertThat(slug("Where settings come from")).isEqualTo("where-settings-come-from");
		assertThat(slug("Acting: `POST /actuator/hare/{listenerId}`")).isEqualTo("acting-post-actuatorharelistenerid");
		assertThat(slug("Operations: `/actuator/hare`, health, metrics, events"))
			.isEqualTo("operations-actuatorhare-health-metrics-events");
		assertThat(slug("See [Testing](docs/testing.md) and retry_limit")).isEqualTo("see-testing-and-retry_limit");
	}

	private static List<Path> documents() throws IOException {
		List<Path> documents = new ArrayList<>();
		documents.add(ROOT.resolve("README.md"));
		try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
			pages.filter((page) -> page.getFileName().toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		documents.add(ROOT.resolve("hare-benchmarks/README.md"));
		return documents;
	}

	private List<String> brokenLinks(Path document) throws IOException {
		List<String> broken = new ArrayList<>();
		List<String> lines = Files.readAllLines(document);
		boolean inFence = false;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (isFence(line)) {
				inFence = !inFence;
				continue;
			}
			if (inFence) {
				continue;
			}
			Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
			while (link.find()) {
				String target = link.group(1);
				String problem = problem(document, target);
				if (problem != null) {
					broken.add(ROOT.relativize(document) + ":" + (i + 1) + ": (" + target + ") " + problem);
				}
			}
		}
		return broken;
	}

	private String problem(Path document, String target) {
		if (target.isEmpty() || target.matches("(?i)(https?|mailto):.*")) {
			return null;
		}
		int hash = target.indexOf('#');
		String path = (hash < 0) ? target : target.substring(0, hash);
		String anchor = (hash < 0) ? null : target.substring(hash + 1);
		Path file = path.isEmpty() ? document : document.resolveSibling(path).normalize();
		if (!Files.exists(file)) {
			return "no such file: " + ROOT.relativize(file);
		}
		if (anchor != null && file.toString().endsWith(".md") && !anchorsOf(file).contains(anchor)) {
			return "no heading #" + anchor + " in " + ROOT.relativize(file);
		}
		return null;
	}

	private Set<String> anchorsOf(Path file) {
		return this.anchors.computeIfAbsent(file.toAbsolutePath().normalize(), DocumentationLinksTests::readAnchors);
	}

	private static Set<String> readAnchors(Path file) {
		List<String> lines;
		try {
			lines = Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		boolean inFence = false;
		for (String line : lines) {
			if (isFence(line)) {
				inFence = !inFence;
				continue;
			}
			if (inFence) {
				continue;
			}
			Matcher html = HTML_ANCHOR.matcher(line);
			while (html.find()) {
				anchors.add(html.group(1));
			}
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String slug = slug(heading.group(1));
				// GitHub numbers repeated headings: "events", "events-1", ...
				int count = seen.merge(slug, 1, Integer::sum) - 1;
				anchors.add((count == 0) ? slug : slug + "-" + count);
			}
		}
		return anchors;
	}

	/**
	 * The id GitHub gives a heading: its text as rendered, lower case, without punctuation,
	 * spaces turned into hyphens.
	 */
	private static String slug(String heading) {
		String text = INLINE_LINK_TEXT.matcher(heading).replaceAll("$1");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc}\\- ]", "").replace(' ', '-');
	}

	private static boolean isFence(String line) {
		String trimmed = line.stripLeading();
		return trimmed.startsWith("```") || trimmed.startsWith("~~~");
	}

}
