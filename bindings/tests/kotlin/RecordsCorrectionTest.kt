// A servant asks HR to correct their file offline and an HR officer approves it, from Kotlin on
// the JVM: the servant syncs and reads their file, loses the network, proposes an edit of an
// education item with a PDF as evidence, reopens the core online and syncs; a second device signed
// in as the HR officer approves the request from its review queue; the servant's next sync shows
// the changed item, the request applied and an unread inbox entry; reading it lowers the badge at
// once, and a second phone of the servant shows it read after its sync. The servant's phone keeps
// the push token it was given until sign-out forgets it.
package records

import java.nio.file.Files
import uniffi.xodim_core.CoreException
import uniffi.xodim_core.IntentState
import uniffi.xodim_core.RecordView
import uniffi.xodim_core.XodimCore

private val sections = setOf("education", "certificate", "work_history", "knowledge_test", "relative")

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

private fun proposeOffline(offline: XodimCore, education: RecordView, diplomaNo: String): String {
    try {
        offline.proposeCorrection("education", "edit", education.id, education.fields + ("end_year" to "1800"), "Xato", listOf())
        throw AssertionError("a bad year must be refused on the device")
    } catch (error: CoreException.Validation) {
        check(error.code == "invalid_field" || error.code == "invalid_date") { "code ${error.code}" }
    }
    val pdf = "%PDF-1.4\n% kotlin diploma scan ${System.nanoTime()}\n%%EOF\n".toByteArray()
    val evidence = offline.attachEvidence(pdf, "application/pdf")
    val fields = education.fields + ("diploma_no" to diplomaNo)
    val queued = offline.proposeCorrection("education", "edit", education.id, fields, "Diplom raqami notoʻgʻri", listOf(evidence))
    val request = offline.correctionRequests().single { it.id == queued.aggregate.removePrefix("request:") }
    check(request.state == "submitted" && request.pending) { "offline request: $request" }
    check(offline.records().first { it.id == education.id }.pendingRequest == request.id) { "record not marked" }
    try {
        offline.sync(null)
        throw AssertionError("a sync without network must fail")
    } catch (error: CoreException.Network) {
    }
    return request.id
}

private fun approveAsHr(hr: XodimCore, login: String, password: String, requestId: String, diplomaNo: String) {
    hr.login(login, password)
    hr.sync(null)
    val waiting = hr.reviewQueue().firstOrNull { it.id == requestId }
    check(waiting != null) { "the request reached the HR officer's queue" }
    check(waiting?.proposed?.get("diploma_no") == diplomaNo) { "proposed: $waiting" }
    hr.approveRequest(requestId, null)
    syncUntilSettled(hr)
    check(hr.intents().last().state == IntentState.APPLIED) { "hr intents: ${hr.intents()}" }
    check(hr.reviewQueue().none { it.id == requestId }) { "a decided request leaves the queue" }
}

private fun readOnOnePhoneShowsOnTheOther(
    online: XodimCore,
    entryId: String,
    secondFile: String,
    url: String,
    login: String,
    password: String,
) {
    check(online.inbox().first { it.id == entryId }.read.not()) { "unread: ${online.inbox()}" }
    val badge = online.unreadCount()
    check(badge >= 1u) { "badge: $badge" }
    online.markRead(entryId)
    check(online.inbox().first { it.id == entryId }.read) { "read at once" }
    check(online.unreadCount() == badge - 1u) { "badge after reading: ${online.unreadCount()}" }
    syncUntilSettled(online)
    XodimCore.open(secondFile, url, "en").use { second ->
        second.login(login, password)
        second.sync(null)
        check(second.inbox().first { it.id == entryId }.read) { "read on the other phone" }
        check(second.unreadCount() == online.unreadCount()) { "same badge on both phones" }
    }
}

fun main() {
    val url = System.getenv("XODIM_URL")
    val login = env("XODIM_LOGIN", "demo-servant")
    val hrLogin = env("XODIM_HR_LOGIN", "demo-hr")
    val password = System.getenv("XODIM_PASSWORD") ?: env("XODIM_DEMO_PASSWORD", "xodim-demo-2026")
    val folder = Files.createTempDirectory("xodim-kotlin-records")
    val phoneFile = folder.resolve("servant.db").toString()
    val diplomaNo = (1000000..9999999).random().toString()
    val pushToken = "scenario-fcm-token-" + (100000..999999).random()

    val education = XodimCore.open(phoneFile, url, "uz-Latn").use { servant ->
        servant.login(login, password)
        // Online, the server takes the token at once; offline the next sync would send it.
        servant.setPushToken(pushToken, "android")
        val stored = servant.pushToken()
        check(stored != null && stored.token == pushToken && stored.platform == "android") { "push token: $stored" }
        check(stored?.registered == true) { "the server holds the token for this device: $stored" }
        servant.sync(null)
        val records = servant.records()
        check(records.map { it.section }.toSet().containsAll(sections)) { "sections: ${records.map { it.section }.toSet()}" }
        records.first { it.section == "education" }
    }

    val requestId = XodimCore.open(phoneFile, "http://127.0.0.1:9", "uz-Latn").use { offline ->
        proposeOffline(offline, education, diplomaNo)
    }

    XodimCore.open(phoneFile, url, "uz-Latn").use { online ->
        syncUntilSettled(online)
        check(online.intents().map { it.state } == listOf(IntentState.APPLIED)) { "applied: ${online.intents()}" }

        XodimCore.open(folder.resolve("hr.db").toString(), url, "en").use { hr ->
            approveAsHr(hr, hrLogin, password, requestId, diplomaNo)
        }

        online.sync(null)
        val record = online.records().first { it.id == education.id }
        check(record.fields["diploma_no"] == diplomaNo && record.version > education.version) { "record: $record" }
        check(record.pendingRequest == null) { "still pending: $record" }
        val request = online.correctionRequests().first { it.id == requestId }
        check(request.state == "applied" && !request.pending) { "request: $request" }
        val entry = online.inbox().firstOrNull { it.requestId == requestId }
        check(entry != null && entry.text.contains(education.sectionLabel)) { "inbox: ${online.inbox()}" }
        readOnOnePhoneShowsOnTheOther(online, entry!!.id, folder.resolve("second.db").toString(), url, login, password)
        check(online.pushToken()?.token == pushToken) { "kept across restarts: ${online.pushToken()}" }
        online.logout()
        check(online.pushToken() == null) { "sign-out forgets the token" }
    }
    println("kotlin: a correction proposed offline was approved by HR and reached the file")
}
