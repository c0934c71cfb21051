# Textos de la interfaz, español. Cada línea es: clave = texto. senda llena lo que va en { $nombre }.
skip-to-content = Ir al contenido
languages = Idiomas
menu = Menú
breadcrumbs = Usted está aquí
quick-exit = Salir rápido de esta página
quick-exit-url = https://es.wikipedia.org/
draft-notice = Borrador: esta página todavía no está publicada.
fallback-notice = Esta página todavía no está traducida. Aquí está en su idioma original.
outdated-notice = La versión original de esta página cambió después de la traducción. Algunos datos pueden no estar al día.
unreviewed-notice = Esta traducción todavía no fue revisada por un hablante nativo. Si algo no está claro, lea esta página en:
reviewed = Última revisión: { $date }.
stale-notice = Eso fue hace mucho. Las reglas pueden haber cambiado: confirme con las oficinas oficiales antes de actuar.
not-legal-advice = Esto es información, no asesoría legal.
sources-heading = De dónde vienen estos datos
sources-title = Fuentes y fechas
sources-description = Cada dato de esta guía, con la fecha en que era cierto y dónde confirmarlo.
slug-sources = fuentes
slug-guide = guia-completa
guide-title = Toda la guía en una página
guide-description = Todas las páginas de la guía, para guardarlas, leerlas sin conexión o imprimirlas.
contents = Contenido
glossary = Glosario
also-called = También se dice:
as-of = Dato de { $date }
fact-stale = hay que revisarlo
start-questions = Conteste unas preguntas para saber qué aplica en su caso
circumstances-heading = Busque su situación
recommendation = Lo que sugerimos
steps = Qué hacer
facts-that-matter = Datos importantes para usted
read-more = Para leer más
question-step = Pregunta { $step }
pages-count = { $count ->
    [one] Una página
   *[other] { $count } páginas
}
not-found-title = No encontramos esta página
not-found-text = Esta página no existe. Tal vez cambió de lugar. Vuelva a empezar desde la página principal:
preview-image-alt = Un camino de escalones naranjas que baja, sobre un fondo gris claro.
# Etiquetas de las notas escritas como > [!NOTE], > [!TIP]… en Markdown.
alert-note = Nota
alert-tip = Consejo
alert-important = Importante
alert-warning = Advertencia
alert-caution = Precaución
image-show = Ver la imagen ({ $size })
animation-show = Ver la animación ({ $size })
slug-flyer = volante
flyer-title = Volante para imprimir
flyer-description = Una hoja con la dirección de la guía y un código QR, para imprimirla y pegarla donde la gente la vea.
flyer-scan = Apunte la cámara de su celular al código, o escriba esta dirección:
flyer-qr-alt = Código QR que abre { $address }
flyer-help = Imprima esta página en papel tamaño carta o A4. El menú y este texto no salen en la impresión.
flyer-link = Imprimir un volante de esta guía
copy-save = Guardar toda la guía, { $size }
copy-intro = Esta es una copia de toda la guía en un solo archivo. Funciona sin internet y puede mandarla a otras personas. La versión más nueva está aquí:
# Páginas de taxonomías (etiquetas o categorías de un sitio) y canales.
term-title = { $taxonomy }: { $term }
terms-count = { $count ->
    [one] Un término
   *[other] { $count } términos
}
feed-link = Seguir las páginas nuevas (canal)
