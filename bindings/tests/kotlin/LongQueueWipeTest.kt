// A long offline queue reaches the server whole, and signing out leaves nothing readable, from
// Kotlin on the JVM: the servant syncs their file, loses the network, proposes 80 relatives with
// reasons of 2,000 characters (more than the server takes in one request), reopens the core online
// and syncs: every one is applied. After sign-out the bytes of the database file and its -wal and
// -shm files hold no relative's name, no queued reason and no education item.
package wipe

import java.io.File
import java.nio.file.Files
import uniffi.xodim_core.CoreException
import uniffi.xodim_core.IntentState
import uniffi.xodim_core.XodimCore

private const val QUEUED = 80

private fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw AssertionError(message())
}

private fun env(name: String, default: String): String = System.getenv(name)?.takeIf { it.isNotEmpty() } ?: default

// Syncs as an app does: when intents wait for their back-off, again at the time it names.
private fun syncUntilSettled(core: XodimCore) {
    repeat(10) {
        val report = core.sync(null)
        val retryAt = report.retryAtMs
        if (report.pending == 0u || retryAt == null) return
        Thread.sleep(maxOf(0L, retryAt - System.currentTimeMillis()) + 50)
    }
    throw AssertionError("intents never settled")
}

private fun reason(n: Int): String {
    val head = "$n Ukam roʻyxatda yoʻq: "
    return head + "ж".repeat(2000 - head.length)
}

private fun ByteArray.holds(needle: ByteArray): Boolean =
    (0..size - needle.size).any { start -> needle.indices.all { this[start + it] == needle[it] } }

// The files of the database whose bytes hold `text`.
private fun filesHolding(phoneFile: String, text: String): List<String> {
    val needle = text.toByteArray(Charsets.UTF_8)
    return listOf("", "-wal", "-shm", "-journal")
        .map { File(phoneFile + it) }
        .filter { it.exists() && it.readBytes().holds(needle) }
        .map { it.name }
}

fun main() {
    val url = System.getenv("XODIM_URL")
    val login = env("XODIM_LOGIN", "demo-servant")
    val password = env("XODIM_PASSWORD", "xodim-demo-2026")
    val phoneFile = Files.createTempDirectory("xodim-kotlin-wipe").resolve("servant.db").toString()
    val tag = "Ktqueue" + System.nanoTime().toString(16)

    val secrets = XodimCore.open(phoneFile, url, "uz-Latn").use { core ->
        core.login(login, password)
        core.sync(null)
        val records = core.records()
        records.filter { it.section == "relative" }.mapNotNull { it.fields["full_name"] } +
            records.filter { it.section == "education" }.mapNotNull { it.fields["institution"] }
    }.toMutableList()
    check(secrets.isNotEmpty()) { "the demo servant has relatives and education" }
    check(filesHolding(phoneFile, secrets[0]).isNotEmpty()) { "the file holds the data before sign-out" }

    XodimCore.open(phoneFile, "http://127.0.0.1:9", "ru").use { offline ->
        for (n in 0 until QUEUED) {
            val fields = mapOf("relation" to "brother", "full_name" to "$tag Aka$n", "birth_year" to "1990")
            offline.proposeCorrection("relative", "add", null, fields, reason(n), listOf())
        }
        try {
            offline.sync(null)
            throw AssertionError("a sync without network must fail")
        } catch (error: CoreException.Network) {
        }
    }

    XodimCore.open(phoneFile, url, "uz-Latn").use { online ->
        syncUntilSettled(online)
        val states = online.intents().map { it.state }
        check(states == List(QUEUED) { IntentState.APPLIED }) { "states: ${online.intents().map { it.state to it.code }}" }
        val mine = online.correctionRequests().filter { it.proposed?.get("full_name")?.startsWith(tag) == true }
        check(mine.size == QUEUED && mine.none { it.pending }) { "requests: ${mine.size}" }
        check(mine.all { it.reason.length == 2000 }) { "reasons arrived whole" }

        online.logout()
        secrets += listOf("$tag Aka0", "$tag Aka${QUEUED - 1}", reason(7).take(40))
        val left = secrets.associateWith { filesHolding(phoneFile, it) }.filterValues { it.isNotEmpty() }
        check(left.isEmpty()) { "readable after sign-out: $left" }
        check(!online.isSignedIn() && online.records().isEmpty() && online.intents().isEmpty()) { "signed out" }
    }
    println("kotlin: $QUEUED long intents queued offline were applied; sign-out left nothing readable")
}
