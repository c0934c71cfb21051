# Tèks entèfas la, kreyòl ayisyen. Chak liy se: kle = tèks. senda mete sa ki nan { $non } la.
skip-to-content = Ale nan tèks la
languages = Lang
menu = Meni
breadcrumbs = Kote ou ye
quick-exit = Kite paj sa a vit
quick-exit-url = https://ht.wikipedia.org/
draft-notice = Bouyon: paj sa a poko pibliye.
fallback-notice = Paj sa a poko tradui. Men li nan lang li te ekri a.
outdated-notice = Paj orijinal la chanje depi yo te tradui l. Gen enfòmasyon isit la ki ka pa ajou.
unreviewed-notice = Tradiksyon sa a poko verifye pa yon moun ki pale kreyòl depi li piti. Si yon bagay pa klè, li menm paj la nan lang sa a:
reviewed = Dènye verifikasyon: { $date }.
stale-notice = Sa gen lontan. Règ yo ka chanje: verifye ak biwo ofisyèl yo anvan ou aji.
not-legal-advice = Sa a se enfòmasyon, se pa konsèy legal.
sources-heading = Ki kote enfòmasyon sa yo soti
sources-title = Sous ak dat
sources-description = Chak enfòmasyon nan gid sa a, ak dat li te vre, ak kote pou w verifye l.
slug-sources = sous
slug-guide = tout-gid-la
guide-title = Tout gid la sou yon sèl paj
guide-description = Tout paj gid la, pou w sere yo, li yo san entènèt, oswa enprime yo.
contents = Sa ki ladan
glossary = Mo pou w konnen
also-called = Yo di tou:
as-of = Dat enfòmasyon an: { $date }
fact-stale = fòk yo verifye l
start-questions = Reponn kèk kesyon pou w konnen sa ki konsène w
circumstances-heading = Jwenn sitiyasyon w
recommendation = Sa nou konseye w
steps = Sa pou w fè
facts-that-matter = Enfòmasyon ki enpòtan pou ou
read-more = Li plis
question-step = Kesyon { $step }
pages-count = { $count ->
    [one] Yon paj
   *[other] { $count } paj
}
not-found-title = Nou pa jwenn paj sa a
not-found-text = Paj sa a pa egziste. Petèt li chanje plas. Kòmanse ankò nan premye paj la:
# Etikèt nòt ki ekri konsa nan Markdown: > [!NOTE], > [!TIP]…
alert-note = Nòt
alert-tip = Konsèy
alert-important = Enpòtan
alert-warning = Atansyon
alert-caution = Fè atansyon
image-show = Montre foto a ({ $size })
animation-show = Montre animasyon an ({ $size })
preview-image-alt = Yon chemen ak mach zoranj k ap desann, sou yon fon gri klè.
slug-flyer = afich
flyer-title = Afich pou enprime
flyer-description = Yon paj ak adrès gid la ak yon kòd QR, pou w enprime l epi mete l kote moun ka wè l.
flyer-scan = Mete kamera telefòn ou sou kòd la, oswa ekri adrès sa a:
flyer-qr-alt = Kòd QR ki louvri { $address }
flyer-help = Enprime paj sa a sou papye A4 oswa Letter. Meni an ak mo sa yo p ap parèt sou papye a.
flyer-link = Enprime yon afich pou gid sa a
copy-save = Sere tout gid la, { $size }
copy-intro = Sa a se yon kopi tout gid la nan yon sèl fichye. Li mache san entènèt, epi ou ka voye l bay lòt moun. Dènye vèsyon an la a:
# Paj taksonomi (etikèt oswa kategori yon sit) ak fil.
term-title = { $taxonomy }: { $term }
terms-count = { $count ->
    [one] Yon mo
   *[other] { $count } mo
}
feed-link = Swiv nouvo paj yo (fil)
