package io.hare.autoconfigure.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.util.StreamUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves the operations page: its HTML, told where the endpoint is, and its script and style
 * from the jar; nothing else, and nothing from anywhere else.
 */
final class HareUiPage {

	static final String PAGE = "META-INF/hare/ui-page.html";

	static final String ASSETS = "META-INF/hare/ui/";

	/**
	 * Only this application's own script, style and endpoint; no inline script, no other origin.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	private final String path;

	private final String endpointPath;

	private final String template;

	HareUiPage(String path, String endpointPath) {
		this.path = path;
		this.endpointPath = endpointPath;
		try {
			this.template = StreamUtils.copyToString(new ClassPathResource(PAGE).getInputStream(),
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The operations page is missing from Hare's jar: " + PAGE, ex);
		}
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET(this.path, this::redirect)
			.GET(this.path + "/", this::page)
			.resources(this.path + "/**", new ClassPathResource(ASSETS))
			.build();
	}

	/**
	 * The page's links are relative, so that it works under any path and context path.
	 */
	private ServerResponse redirect(ServerRequest request) {
		return ServerResponse.status(302)
			.location(URI.create(request.requestPath().contextPath().value() + this.path + "/"))
			.build();
	}

	private ServerResponse page(ServerRequest request) {
		String endpoint = request.requestPath().contextPath().value() + this.endpointPath;
		return ServerResponse.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.header("Cache-Control", "no-store")
			.body(this.template.replace("{{endpoint}}", HtmlUtils.htmlEscape(endpoint)));
	}

}
