package io.hare.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.util.Assert;
import org.springframework.util.StreamUtils;

/**
 * The table names and schema scripts of Hare's outbox and inbox: a name is checked to be an SQL
 * identifier, optionally with its schema, before it goes into SQL, and a shipped script is run
 * with the table's default name replaced. Internal to Hare.
 */
public final class SqlTables {

	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

	private SqlTables() {
	}

	/**
	 * Check that a table name can go into SQL as it is.
	 * @param name the name, optionally with its schema
	 * @param what what the table is, such as {@code outbox}, for the message
	 * @return the name
	 */
	public static String checkName(String name, String what) {
		Assert.isTrue(name != null && NAME.matcher(name).matches(), () -> "The " + what
				+ " table name must be an SQL identifier, optionally with a schema, not '" + name + "'");
		return name;
	}

	/**
	 * Run a schema script shipped in the jar, its table and index names renamed after the
	 * table, on a connection of the data source.
	 * @param dataSource the data source
	 * @param resource the script on the class path
	 * @param defaultName the table name the script uses
	 * @param name the table name to use, optionally with its schema
	 */
	public static void createSchema(DataSource dataSource, String resource, String defaultName, String name) {
		String simpleName = name.substring(name.indexOf('.') + 1);
		String script = read(resource).replace(defaultName + "_", simpleName + "_").replace(defaultName, name);
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			ScriptUtils.executeSqlScript(connection, new ByteArrayResource(script.getBytes(StandardCharsets.UTF_8)));
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/**
	 * Read a script shipped in the jar.
	 * @param resource the script on the class path
	 * @return its text
	 */
	public static String read(String resource) {
		try {
			return StreamUtils.copyToString(new ClassPathResource(resource).getInputStream(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + resource, ex);
		}
	}

}
