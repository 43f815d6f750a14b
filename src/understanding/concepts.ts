/**
 * Families of words that mean the same thing to the lender's customers, a feature each for the
 * classifier: with them, a word the training corpus never used ("adeudo", "mensualidad",
 * "Bancaribe") weighs like the family's words it did use. They are features, not rules: the model
 * learns from the corpus how much each family says about each intent. A phrase is whole
 * consecutive words, written as customers write them (folded and normalised when compiled);
 * phrases are separated by commas.
 */
const WRITTEN: Readonly<Record<string, string>> = {
  greet: `
    hola, ola, holis, holi, buenas, buenos dias, buen dia, buenas tardes, buenas noches, saludos, saludo, epa,
    epale, hey, hi, hello, alo, que tal, como estas, como estan, como le va, como va, feliz dia tengan, saludar,
    saludarlos, saludarles
  `,
  thank: `
    gracias, agradecido, agradecida, agradezco, se agradece, le agradezco, agradecer, thank you, thanks,
    dios le pague, dios te pague, dios se lo pague, por la ayuda, por su ayuda, por tu ayuda, te pasaste,
    muy amable, mil gracias, gracias totales, muchisimas gracias, bendito
  `,
  bye: `
    chao, chaito, adios, bye, hasta luego, hasta pronto, hasta manana, hasta la proxima, hasta otro dia, nos vemos,
    nos hablamos, hablamos, feliz noche, feliz tarde, feliz dia, feliz resto, buen resto, bendiciones, cuidese,
    cuidate, cuidense, me despido, me voy, me tengo que ir, que esten bien, que este bien, eso era todo, seria todo,
    es todo
  `,
  debt: `
    debo, deuda, deudas, adeudo, adeudado, adeudan, saldo, debiendo, deber, total, en total, falta, me falta, queda,
    me queda, estado de cuenta, saldar, liquidar, todo lo que debo, cuanto debo, balance
  `,
  how_much: `
    cuanto, cuanta, cuantos, cuantas, monto, valor, precio, cantidad, de cuanto, a cuanto, cuanto es, cuanto sale
  `,
  when: `
    cuando, fecha, que dia, cual dia, vence, vencen, vencimiento, vencer, limite, hasta cuando, para cuando,
    me toca, toca pagar, proxima, proximo, siguiente
  `,
  instalment: `
    cuota, cuotas, mensualidad, mensualidades, mensual, quincenal, semanal, letra, pago mensual, cada mes,
    cada quincena
  `,
  late: `
    atrasado, atrasada, atrasados, atrasadas, atraso, atrasos, retraso, retrasado, retrasada, mora, moras, moroso,
    morosa, morosidad, vencido, vencida, vencidos, vencidas, recargo, recargos, al dia, solvente, dias de atraso,
    ponerme al dia, pendiente, pendientes, interes de mora, penalizacion
  `,
  seen: `
    historial, registrado, registrada, registraron, registro, reflejado, reflejo, refleja, reflejaron, aparece,
    aparecio, sale, salio, llego, llegaron, les llego, recibieron, recibido, recibida, confirmar, confirman,
    confirmen, confirmacion, cargado, cargaron, anotado, anotados, ultimo pago, ultimos pagos, mis pagos,
    pagos realizados, pagos hechos, he pagado, he abonado, lo que he pagado, detalle, movimientos, en el sistema
  `,
  loan: `
    prestamo, prestamos, credito, creditos, financiamiento, financiamientos, financiar, financian, financiado,
    prestar, prestan, presten, prestaria, solicitar, solicitud, requisitos, aprobado, aprobaron, aprobacion,
    otro credito, nuevo credito, credito nuevo, otro prestamo, activo, activos, cuotas me faltan, termine de pagar,
    termino de pagar, aumentar el monto, cupo
  `,
  pay_how: `
    como pago, como pagar, como puedo pagar, como hago para pagar, donde pago, donde pagar, donde puedo pagar,
    a donde, cuenta, numero de cuenta, cuenta bancaria, datos bancarios, datos, banco, bancos, banesco, mercantil,
    provincial, venezuela, bancaribe, bicentenario, bnc, bod, exterior, pago movil, zelle, paypal, binance,
    efectivo, tarjeta, punto de venta, rif, concepto, formas de pago, forma de pago, metodos de pago,
    metodo de pago, a nombre de, aceptan, transferir, depositar, se puede pagar, puedo pagar con, puedo pagar en
  `,
  paid: `
    pague, pagado, ya pague, ya pago, transferi, transferido, transferidos, transferencia realizada, deposite,
    depositado, abone, abonado, cancele, cancelado, mande el pago, mande, envie, enviado, enviada, hice,
    hice el pago, hice la transferencia, realice, realizado, realizada, acabo de pagar, capture, comprobante,
    pagamos, le pague, les pague, te pague, ya cancele, ya deposite, ya transferi, ya abone, ya hice
  `,
  will_pay: `
    pagare, voy a pagar, vamos a pagar, voy a depositar, voy a transferir, voy a abonar, voy a cancelar, le pago,
    les pago, te pago, cancelo, deposito, abono, transfiero, me pongo al dia, tienen su plata, sin falta, palabra,
    a mas tardar, le deposito, les deposito, te deposito, te mando, le mando, les mando, me pagan, apenas me paguen
  `,
  date_words: `
    hoy, manana, pasado manana, lunes, martes, miercoles, jueves, viernes, sabado, domingo, quincena, fin de mes,
    semana que viene, proxima semana, principios de mes
  `,
  cannot: `
    no puedo, no puedo pagar, no tengo, no tengo para, no tengo como, no me alcanza, no alcanza, no llego,
    no voy a poder, no he podido, no pude, prorroga, chance, refinanciar, refinanciamiento, reestructurar,
    mas tiempo, esperen, me esperan, sin trabajo, desempleado, desempleada, me botaron, limpio, pelando, corto,
    enfermo, enferma, hospitalizado, hospitalizada, la mitad, en partes, por partes, mas cuotas, no me da,
    no hay real, no tengo real, no tengo plata, no tengo dinero, accidente, no cobre, no me han pagado,
    apenas cobre, cuota mas baja, arreglo, convenio
  `,
  agent: `
    asesor, asesora, asesores, agente, humano, humana, persona, personas, persona real, operador, operadora,
    ejecutivo, ejecutiva, supervisor, supervisora, gerente, encargado, encargada, representante, alguien,
    atencion al cliente, llamar, llamen, llame, llamada, me llama, me llaman, me pueden llamar, hablar con,
    comuniqueme, comunicarme, pasame con, paseme con, ponme con, que me atienda, atender, no sea el bot, gente real
  `,
  complain: `
    robo, estafa, estafadores, ladrones, ladron, pesimo, pesima, abuso, abusadores, abusivos, acoso, acosadores,
    molesto, molesta, reclamo, queja, denuncia, denunciar, falta de respeto, irrespeto, mal servicio, mala atencion,
    desastre, ilegal, amenazaron, amenaza, amenazas, injusto, no es justo, humillada, humillado, inflada, doble,
    dos veces, de mas, cobraron, indignado, indignada, no sirve, inutil, nadie responde, nadie me responde,
    nadie resuelve, ladilla, harto, harta, cansado, cansada, mentira, sinverguenzas, verguenza, me trataron,
    me trato, grosero, grosera, feo, error, equivocado, mal cobrado, no me corresponde, no es lo que firme,
    falta de seriedad, que mal
  `,
  stop: `
    no me escriban, no me escriba, no escriban, dejen de, deje de, basta, ya basta, darme de baja, de baja,
    desuscribir, desuscribirme, suscripcion, no mas mensajes, no me manden, no manden, no me envien, no envien,
    no me contacten, no me contacte, no contacten, borrenme, borren, saquenme, sacarme, sacame, lista de difusion,
    de la lista, no quiero recibir, no quiero mensajes, stop, alto, no es mio, no sigan, paren de, ya no quiero,
    no me molesten, dejen de molestar, desactiven, desactivar, notificaciones, recordatorios, no me llegue,
    no me lleguen
  `,
  menu: `
    menu, opciones, ayuda, help, inicio, volver, que puedo hacer, como funciona, servicios, que hace,
    en que me pueden ayudar, que puedo consultar, que cosas puedo, principal, no entiendo como
  `,
  elsewhere: `
    clima, lluvia, llueve, juego, partido, beisbol, futbol, pelotero, leones, magallanes, caracas, vinotinto,
    chiste, receta, arepas, hallaca, novia, novio, tarea, pasajes, avion, metro, horario del metro, cancion,
    plomero, taxi, queso, movilnet, digitel, movistar, recargar, recarga, repuestos, cauchos, abrir una cuenta,
    equivoque de numero, numero equivocado, robot, que hora, pelicula, jajaja, jaja, cuanto cuesta, venden
  `,
};

/** Each concept's phrases. */
export const CONCEPTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(WRITTEN).map(([name, phrases]) => [
    name,
    phrases
      .split(',')
      .map((phrase) => phrase.trim())
      .filter(Boolean),
  ]),
);
