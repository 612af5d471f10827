// A servant changes their contact details offline, from Kotlin on the JVM through the generated
// bindings: sign in, first sync, lose the network, change the details offline, close and reopen
// the core from the same file, get the network back, sync, and see the change on a second device.

import java.nio.file.Files
import uniffi.xodim_core.CoreException
import uniffi.xodim_core.IntentState
import uniffi.xodim_core.SyncListener
import uniffi.xodim_core.XodimCore

class Recorder : SyncListener {
    val progress = mutableListOf<ULong>()
    val kinds = mutableSetOf<String>()
    override fun onProgress(received: ULong) { progress.add(received) }
    override fun onChanged(kinds: List<String>) { this.kinds.addAll(kinds) }
}

fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw AssertionError(message())
}

// Syncs as an app does: when intents wait for their back-off, again at the time it names.
fun syncUntilSettled(core: XodimCore) {
    repeat(10) {
        val report = core.sync(null)
        val retryAt = report.retryAtMs
        if (report.pending == 0u || retryAt == null) return
        Thread.sleep(maxOf(0L, retryAt - System.currentTimeMillis()) + 50)
    }
    throw AssertionError("intents never settled")
}

fun main() {
    val url = System.getenv("XODIM_URL")
    val login = System.getenv("XODIM_LOGIN")
    val password = System.getenv("XODIM_PASSWORD")
    val folder = Files.createTempDirectory("xodim-kotlin")
    val phoneFile = folder.resolve("phone.db").toString()
    val number = "+99891" + (1000000..9999999).random()

    XodimCore.open(phoneFile, url, "uz-Latn").use { phone ->
        phone.login(login, password)
        val recorder = Recorder()
        phone.sync(recorder)
        check(recorder.progress.isNotEmpty()) { "a first sync reports its progress" }
        check(phone.units().isNotEmpty()) { "the organisation catalogue arrived" }
    }

    XodimCore.open(phoneFile, "http://127.0.0.1:9", "ru").use { offline ->
        try {
            offline.updateContact("12345", null, null)
            throw AssertionError("a bad phone must be refused on the device")
        } catch (error: CoreException.Validation) {
            check(error.code == "invalid_phone") { "code ${error.code}" }
        }
        offline.updateContact(number, "kotlin@adliya.uz", null)
        try {
            offline.sync(null)
            throw AssertionError("a sync without network must fail")
        } catch (error: CoreException.Network) {
        }
        val shown = offline.contact()
        check(shown?.phone == number && shown.pending) { "offline view: $shown" }
    }

    XodimCore.open(phoneFile, url, "uz-Latn").use { online ->
        check(online.intents().map { it.state } == listOf(IntentState.QUEUED)) { "queued: ${online.intents()}" }
        syncUntilSettled(online)
        check(online.intents().map { it.state } == listOf(IntentState.APPLIED)) { "applied: ${online.intents()}" }
        val synced = online.contact()
        check(synced?.phone == number && !synced.pending) { "synced: $synced" }

        XodimCore.open(folder.resolve("tablet.db").toString(), url, "en").use { tablet ->
            tablet.login(login, password)
            tablet.sync(null)
            val seen = tablet.contact()
            check(seen?.phone == number && seen.version == synced?.version) { "tablet: $seen" }
        }
    }
    println("kotlin: offline contact change reached the server and the second device")
}
