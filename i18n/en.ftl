# Interface strings, English. Each line is: key = text. Text in { $name } is filled in by senda.
skip-to-content = Skip to the content
languages = Languages
menu = Menu
breadcrumbs = You are here
quick-exit = Leave this page quickly
quick-exit-url = https://www.wikipedia.org/
draft-notice = Draft: this page is not published yet.
fallback-notice = This page is not translated yet. Here it is in its original language.
outdated-notice = The original of this page has changed since it was translated. Some details here may be out of date.
unreviewed-notice = This translation has not yet been checked by a native speaker. If something is unclear, read this page in:
reviewed = Last reviewed: { $date }.
stale-notice = That was a long time ago. Rules may have changed: check with the official offices before you act.
not-legal-advice = This is information, not legal advice.
sources-heading = Where these facts come from
sources-title = Sources and dates
sources-description = Every fact in this guide, with the date it was true and where to check it.
slug-sources = sources
slug-guide = whole-guide
guide-title = The whole guide on one page
guide-description = Every page of the guide, to save, read without a connection, or print.
contents = Contents
glossary = Glossary
also-called = Also called:
as-of = As of { $date }
fact-stale = needs checking
start-questions = Answer a few questions to find what applies to you
circumstances-heading = Find your situation
recommendation = What we suggest
steps = What to do
facts-that-matter = Facts that matter here
read-more = Read more
question-step = Question { $step }
pages-count = { $count ->
    [one] One page
   *[other] { $count } pages
}
not-found-title = Page not found
not-found-text = This page does not exist. It may have moved. Start again from the home page:
preview-image-alt = An orange path of steps going down, on a light grey background.
# Labels of the notes written as > [!NOTE], > [!TIP]… in Markdown.
alert-note = Note
alert-tip = Tip
alert-important = Important
alert-warning = Warning
alert-caution = Caution
image-show = Show picture ({ $size })
animation-show = Show animation ({ $size })
slug-flyer = flyer
flyer-title = Flyer to print
flyer-description = One page with the guide's address and a QR code, to print and put up where people can see it.
flyer-scan = Point your phone's camera at the code, or type this address:
flyer-qr-alt = QR code that opens { $address }
flyer-help = Print this page on A4 or Letter paper. The menu and these words are left out of the print.
flyer-link = Print a flyer about this guide
copy-save = Save the whole guide, { $size }
copy-intro = This is a copy of the whole guide in one file. It works without internet, and you can send it to others. The newest version is here:
# Taxonomy pages (a site's tags or categories) and feeds.
term-title = { $taxonomy }: { $term }
terms-count = { $count ->
    [one] One term
   *[other] { $count } terms
}
feed-link = Follow new pages (feed)
