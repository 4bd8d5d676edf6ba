// TurnRead.java: reads the turn type the way a reporting tool would, with
// plain JDBC (pgJDBC) and no knowledge of the extension: text form via
// getString/getObject, the accessor functions, and turn parameters bound
// with ?::turn and turn(?, ?).
//
//   java -cp .:/usr/share/java/postgresql.jar TurnRead jdbc:postgresql://host:port/db?user=u
//
// Prints one line per failed check and ends with "jdbc: N passed, F failed";
// exits 1 when a check failed.

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

public class TurnRead {
	private static int passed = 0;
	private static int failed = 0;

	private static void check(String what, Object got, Object want) {
		if (Objects.equals(got, want)) {
			passed++;
		} else {
			failed++;
			System.out.println("FAIL " + what + ": got " + show(got) + ", want " + show(want));
		}
	}

	private static void ok(String what, boolean cond) {
		if (cond) {
			passed++;
		} else {
			failed++;
			System.out.println("FAIL " + what);
		}
	}

	// pgJDBC classes by reflection: the harness compiles without the driver on the class path
	private static Object call(Object o, String method, Object... args) {
		try {
			for (java.lang.reflect.Method m : o.getClass().getMethods())
				if (m.getName().equals(method) && m.getParameterCount() == args.length)
					return m.invoke(o, args);
			throw new IllegalArgumentException("no method " + method + " on " + o.getClass().getName());
		} catch (ReflectiveOperationException e) {
			throw new RuntimeException(e);
		}
	}

	private static boolean isA(Object o, String className) {
		return o != null && o.getClass().getName().equals(className);
	}

	private static String show(Object o) {
		return o == null ? "null" : "[" + o + "] (" + o.getClass().getName() + ")";
	}

	// literal inserted, text form expected back
	private static final String[][] ROWS = {
		{ "Ren: We believe", "Ren: We believe" },
		{ "[00:01:02.500-00:01:09] Nathan VanderKlippe (The Globe and Mail): text",
		  "[00:01:02.500-00:01:09] Nathan VanderKlippe (The Globe and Mail): text" },
		{ "[1:02] Ren: x", "[00:01:02] Ren: x" },
		{ "[75.5] Ren: y", "[00:01:15.500] Ren: y" },
		{ "[-00:00:05] Ren: end only", "[-00:00:05] Ren: end only" },
		{ "\"Dr. Ko: MD\" (\"Huawei (Shenzhen)\"): quoted", "\"Dr. Ko: MD\" (\"Huawei (Shenzhen)\"): quoted" },
		{ ": nobody knows", ": nobody knows" },
		{ "(Audience): applause", "(Audience): applause" },
		{ "Renée (Société): 任正非 说 👍\nsecond line", "Renée (Société): 任正非 说 👍\nsecond line" },
	};

	public static void main(String[] args) throws Exception {
		if (args.length < 1) {
			System.err.println("usage: java TurnRead JDBC_URL");
			System.exit(2);
		}
		try (Connection c = DriverManager.getConnection(args[0])) {
			run(c);
		} catch (SQLException e) {
			failed++;
			System.out.println("FAIL unexpected SQL error: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")");
		}
		System.out.println("jdbc: " + passed + " passed, " + failed + " failed");
		System.exit(failed == 0 ? 0 : 1);
	}

	private static void badLiteral(Connection c, String lit, String sqlstate, String where) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("SELECT ?::turn")) {
			ps.setString(1, lit);
			try (ResultSet rs = ps.executeQuery()) {
				failed++;
				System.out.println("FAIL bad literal accepted: " + lit);
			} catch (SQLException e) {
				check("SQLSTATE of " + lit, e.getSQLState(), sqlstate);
				Object m = isA(e, "org.postgresql.util.PSQLException") ? call(e, "getServerErrorMessage") : null;
				ok("server message for " + lit, m != null);
				if (m != null) {
					String msg = (String) call(m, "getMessage");
					String detail = (String) call(m, "getDetail");
					String hint = (String) call(m, "getHint");
					ok("message names the type: " + msg, msg != null && msg.contains("type turn"));
					ok("detail has the position: " + detail, detail != null && detail.contains(where));
					ok("hint for " + lit, hint != null && !hint.isEmpty());
				}
			}
		}
	}

	private static void run(Connection c) throws SQLException {
		try (Statement st = c.createStatement()) {
			st.execute("SET client_min_messages = warning");
			st.execute("CREATE EXTENSION IF NOT EXISTS transcripts");
			st.execute("DROP TABLE IF EXISTS jdbc_turns");
			st.execute("CREATE TABLE jdbc_turns (id int PRIMARY KEY, t turn)");
		}
		// fill with a plain prepared INSERT binding the literal as text
		try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_turns VALUES (?, ?::turn)")) {
			for (int i = 0; i < ROWS.length; i++) {
				ps.setInt(1, i + 1);
				ps.setString(2, ROWS[i][0]);
				ps.addBatch();
			}
			ps.setInt(1, 100);
			ps.setNull(2, java.sql.Types.VARCHAR);
			ps.addBatch();
			int total = 0;
			for (int n : ps.executeBatch())
				total += n;
			check("rows inserted", total, ROWS.length + 1);
		}

		// the column as a reporting tool sees it
		try (Statement st = c.createStatement();
			 ResultSet rs = st.executeQuery("SELECT id, t FROM jdbc_turns ORDER BY id")) {
			ResultSetMetaData md = rs.getMetaData();
			check("column type name", md.getColumnTypeName(2), "turn");
			check("column JDBC type", md.getColumnType(2), java.sql.Types.OTHER);
			int n = 0;
			while (rs.next()) {
				int id = rs.getInt(1);
				String s = rs.getString(2);
				Object o = rs.getObject(2);
				if (id == 100) {
					check("NULL turn getString", s, null);
					check("NULL turn getObject", o, null);
					ok("NULL turn wasNull", rs.wasNull());
					continue;
				}
				String want = ROWS[id - 1][1];
				check("getString row " + id, s, want);
				ok("getObject row " + id + " is a PGobject", isA(o, "org.postgresql.util.PGobject"));
				if (isA(o, "org.postgresql.util.PGobject")) {
					check("PGobject type row " + id, call(o, "getType"), "turn");
					check("PGobject value row " + id, call(o, "getValue"), want);
				}
				check("getObject toString row " + id, String.valueOf(o), want);
				n++;
			}
			check("rows read", n, ROWS.length);
		}

		// accessors
		try (Statement st = c.createStatement();
			 ResultSet rs = st.executeQuery(
				 "SELECT speaker(t), affiliation(t), body(t), start_time(t), end_time(t), word_count(t) "
				 + "FROM jdbc_turns WHERE id = 2")) {
			ok("accessor row", rs.next());
			check("speaker", rs.getString(1), "Nathan VanderKlippe");
			check("affiliation", rs.getString(2), "The Globe and Mail");
			check("body", rs.getString(3), "text");
			Object start = rs.getObject(4);
			ok("start_time is a PGInterval", isA(start, "org.postgresql.util.PGInterval"));
			if (isA(start, "org.postgresql.util.PGInterval")) {
				check("start_time hours", call(start, "getHours"), 0);
				check("start_time minutes", call(start, "getMinutes"), 1);
				check("start_time seconds", call(start, "getSeconds"), 2.5);
			}
			check("start_time text", rs.getString(4), "00:01:02.5");
			check("end_time text", rs.getString(5), "00:01:09");
			check("word_count", rs.getInt(6), 1);
		}
		try (Statement st = c.createStatement();
			 ResultSet rs = st.executeQuery(
				 "SELECT speaker(t), affiliation(t), body(t), start_time(t), word_count(t) "
				 + "FROM jdbc_turns WHERE id = 7")) {
			ok("unknown speaker row", rs.next());
			check("unknown speaker is NULL", rs.getString(1), null);
			ok("unknown speaker wasNull", rs.wasNull());
			check("no affiliation is NULL", rs.getString(2), null);
			check("body of unknown speaker", rs.getString(3), "nobody knows");
			check("no start time is NULL", rs.getObject(4), null);
			check("word_count unknown speaker", rs.getInt(5), 2);
		}
		try (Statement st = c.createStatement();
			 ResultSet rs = st.executeQuery(
				 "SELECT speaker(t), affiliation(t), body(t), word_count(t) FROM jdbc_turns WHERE id = 9")) {
			ok("unicode row", rs.next());
			check("unicode speaker", rs.getString(1), "Renée");
			check("unicode affiliation", rs.getString(2), "Société");
			check("unicode body", rs.getString(3), "任正非 说 👍\nsecond line");
			check("unicode word_count", rs.getInt(4), 5);
		}
		try (Statement st = c.createStatement();
			 ResultSet rs = st.executeQuery(
				 "SELECT count(*), count(t), sum(word_count(t)), count(*) FILTER (WHERE speaker(t) = 'Ren') FROM jdbc_turns")) {
			ok("aggregate row", rs.next());
			check("count(*)", rs.getLong(1), (long) ROWS.length + 1);
			check("count(t)", rs.getLong(2), (long) ROWS.length);
			check("turns by Ren", rs.getLong(4), 4L);
		}

		// a turn literal bound as a parameter
		try (PreparedStatement ps = c.prepareStatement(
				 "SELECT id, speaker(t) FROM jdbc_turns WHERE t = ?::turn")) {
			ps.setString(1, "[00:01:02.500-00:01:09] Nathan VanderKlippe (The Globe and Mail):text");
			try (ResultSet rs = ps.executeQuery()) {
				ok("?::turn finds the row", rs.next());
				check("?::turn id", rs.getInt(1), 2);
				check("?::turn speaker", rs.getString(2), "Nathan VanderKlippe");
				ok("?::turn one row", !rs.next());
			}
		}
		try (PreparedStatement ps = c.prepareStatement(
				 "SELECT ?::turn, speaker(?::turn), body(?::turn)")) {
			String lit = "\"Ren \"\"the boss\"\"\" (Huawei): a: b";
			ps.setString(1, lit);
			ps.setString(2, lit);
			ps.setString(3, lit);
			try (ResultSet rs = ps.executeQuery()) {
				ok("?::turn echo row", rs.next());
				check("?::turn echo", rs.getString(1), lit);
				check("?::turn speaker with quotes", rs.getString(2), "Ren \"the boss\"");
				check("?::turn body with colon", rs.getString(3), "a: b");
			}
		}
		// a PGobject as the parameter, as tools that round-trip values do
		try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jdbc_turns WHERE t = ?")) {
			Object p;
			try {
				p = Class.forName("org.postgresql.util.PGobject").getDeclaredConstructor().newInstance();
			} catch (ReflectiveOperationException e) {
				throw new RuntimeException(e);
			}
			call(p, "setType", "turn");
			call(p, "setValue", "(Audience): applause");
			ps.setObject(1, p);
			try (ResultSet rs = ps.executeQuery()) {
				ok("PGobject parameter finds the row", rs.next());
				check("PGobject parameter id", rs.getInt(1), 8);
			}
		}
		// the constructor with bound parts
		try (PreparedStatement ps = c.prepareStatement(
				 "INSERT INTO jdbc_turns VALUES (?, turn(?, ?)) RETURNING t::text, speaker(t), body(t)")) {
			ps.setInt(1, 200);
			ps.setString(2, "Dr. Ko: MD");
			ps.setString(3, "built from parts");
			try (ResultSet rs = ps.executeQuery()) {
				ok("turn(?, ?) row", rs.next());
				check("turn(?, ?) text form quotes the name", rs.getString(1), "\"Dr. Ko: MD\": built from parts");
				check("turn(?, ?) speaker", rs.getString(2), "Dr. Ko: MD");
				check("turn(?, ?) body", rs.getString(3), "built from parts");
			}
		}
		try (PreparedStatement ps = c.prepareStatement("SELECT turn(?, ?)::text")) {
			ps.setNull(1, java.sql.Types.VARCHAR);
			ps.setString(2, "who said that");
			try (ResultSet rs = ps.executeQuery()) {
				ok("turn(NULL, ?) row", rs.next());
				check("turn(NULL, ?) is an unknown speaker", rs.getString(1), ": who said that");
			}
		}

		// bad literals are SQL errors with a SQLSTATE, the position and a hint
		badLiteral(c, "Ren said hi", "22P02", "at character 12");
		badLiteral(c, "[00:00:60] Ren: x", "22023", "at character 2");
		try (Statement st = c.createStatement()) {
			st.execute("DROP TABLE jdbc_turns");
		}
	}
}
